import { test, expect, Browser, Page } from '@playwright/test';
import { signIn } from './helpers';

async function as(browser: Browser, username: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, username);
  return page;
}

async function setVentasDaily(admin: Page, value: string, reason: string) {
  const card = admin.getByTestId('rule-ventas');
  await card.locator('input[name="daily"]').fill(value);
  await card.locator('input[name="reason"]').fill(reason);
  await card.getByRole('button', { name: 'Guardar' }).click();
  await expect(admin.getByTestId('policy-saved')).toBeVisible();
}

test('the administrator lowers Ventas\' daily limit with a reason, and Mi uso shows it at once', async ({ browser }) => {
  const admin = await as(browser, 'admin');
  await admin.getByRole('link', { name: 'Políticas' }).click();
  await admin.locator('body[data-hydrated]').waitFor();
  const card = admin.getByTestId('rule-ventas');
  await expect(card.locator('input[name="daily"]')).toHaveValue('50');

  // Without a reason the browser asks for one; a daily limit above the weekly one is refused
  // by the server, and nothing changes.
  await card.locator('input[name="daily"]').fill('300');
  await card.locator('input[name="reason"]').fill('Prueba de un límite imposible');
  await card.getByRole('button', { name: 'Guardar' }).click();
  await expect(admin.getByTestId('policy-error')).toContainText('de menor a mayor');

  const reason = 'Reducción tras la auditoría de noviembre';
  await setVentasDaily(admin, '45', reason);
  await card.getByTestId('policy-history').locator('summary').click();
  const change = card.getByTestId('policy-change').first();
  await expect(change).toContainText(reason);
  await expect(change).toContainText('daily: 50 → 45');
  await expect(change).toContainText('admin');

  const employee = await as(browser, 'ventas.ejecutivo');
  await employee.goto('/mi-uso');
  await expect(employee.getByTestId('my-quota').locator('[data-window="day"]')).toContainText('de 45 usados');

  // Back as it was, for the tests that follow.
  await setVentasDaily(admin, '50', 'Fin de la prueba: vuelve el límite de siempre');
});
