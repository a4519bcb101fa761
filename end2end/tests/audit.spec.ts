import { test, expect, Page } from '@playwright/test';
import { signIn } from './helpers';


test('the administrator filters the audit log, opens an event and verifies the chain', async ({ page }) => {
  // Three sign-ins by an employee from an address of their own (the demo's history holds
  // many more of theirs, from the office).
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': '203.0.113.99' });
  for (let i = 0; i < 3; i++) {
    await signIn(page, 'ventas.practicante');
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await expect(page).toHaveURL(/\/login$/);
  }
  await page.setExtraHTTPHeaders({});
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Auditoría' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Auditoría');
  await expect(page.getByTestId('public-key')).toHaveText(/^[0-9a-f]{64}$/);

  await page.locator('input[name="user"]').fill('ventas.practicante');
  await page.locator('input[name="ip"]').fill('203.0.113.99');
  await page.locator('select[name="action"]').selectOption('sign_in');
  await page.getByRole('button', { name: 'Filtrar' }).click();
  await expect(page).toHaveURL(/user=ventas\.practicante/);
  const rows = page.getByTestId('audit-table').locator('tbody tr');
  await expect(rows).toHaveCount(3);
  for (const user of await rows.locator('td:nth-child(3)').allTextContents()) {
    expect(user).toBe('ventas.practicante');
  }

  await rows.first().locator('td:first-child a').click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Inicio de sesión');
  await expect(page.getByText('Hash anterior')).toBeVisible();

  await page.getByRole('link', { name: 'Volver a la auditoría' }).click();
  await page.locator('body[data-hydrated]').waitFor();
  await page.getByRole('button', { name: 'Verificar ahora' }).click();
  await expect(page.getByTestId('verify-result')).toContainText('Íntegro', { timeout: 20_000 });
});

test('an employee gets the 403 page for the audit log', async ({ page }) => {
  await signIn(page, 'ventas.ejecutivo');
  await expect(page.getByRole('link', { name: 'Auditoría' })).toHaveCount(0);
  const res = await page.goto('/auditoria');
  expect(res?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'Acceso denegado' })).toBeVisible();
});
