import { test, expect, Browser, Page } from '@playwright/test';
import { signIn } from './helpers';

async function as(browser: Browser, username: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, username);
  return page;
}

test('the administrator blocks an employee, whose open session is signed out on its next action', async ({ browser }) => {
  const employee = await as(browser, 'marketing.ejecutivo');
  await employee.goto('/contactos');
  await employee.locator('body[data-hydrated]').waitFor();

  const admin = await as(browser, 'admin');
  await admin.getByRole('link', { name: 'Usuarios' }).click();
  await admin.locator('body[data-hydrated]').waitFor();
  await admin.getByTestId('user-filters').locator('select[name="department"]').selectOption('marketing');
  await admin.getByTestId('user-filters').getByRole('button', { name: 'Filtrar' }).click();
  await expect(admin).toHaveURL(/department=marketing/);
  await admin.getByRole('link', { name: 'marketing.ejecutivo' }).click();
  await expect(admin).toHaveURL(/\/usuarios\/marketing\.ejecutivo$/);
  await admin.locator('body[data-hydrated]').waitFor();
  await expect(admin.getByTestId('user-status')).toHaveText('Activo');

  await admin.getByTestId('block').click();
  const dialog = admin.getByRole('dialog');
  // The reason is required, checked before anything is sent.
  await dialog.getByRole('button', { name: 'Confirmar' }).click();
  await expect(dialog.getByTestId('dialog-error')).toBeVisible();
  await dialog.getByLabel('Motivo (al menos 10 caracteres)').fill('Compartió su contraseña con un proveedor');
  await dialog.getByRole('button', { name: 'Confirmar' }).click();
  await expect(admin.getByTestId('user-status')).toHaveText('Bloqueado');
  await expect(admin.getByTestId('user-changes')).toContainText('Compartió su contraseña con un proveedor');

  // The employee's next action finds the session ended: back to the sign-in page.
  await employee.getByRole('link', { name: 'Mi uso' }).click();
  await expect(employee).toHaveURL(/\/login/);

  // Unblocked again, with a reason, for the tests that follow.
  await admin.getByTestId('unblock').click();
  await admin.getByRole('dialog').getByLabel('Motivo (al menos 10 caracteres)').fill('Contraseña cambiada y aclarado');
  await admin.getByRole('dialog').getByRole('button', { name: 'Confirmar' }).click();
  await expect(admin.getByTestId('user-status')).toHaveText('Activo');
});

test('the administrator ends one of two sessions of an employee; the other stays signed in', async ({ browser }) => {
  const admin = await as(browser, 'admin');
  const reason = 'Motivo (al menos 10 caracteres)';
  // Sessions left by earlier tests end first ("end all sessions"), so two remain: ours.
  await admin.goto('/usuarios/operaciones.ejecutivo');
  await admin.locator('body[data-hydrated]').waitFor();
  if (await admin.getByTestId('user-session').count() > 0) {
    await admin.getByTestId('end-sessions').click();
    await admin.getByRole('dialog').getByLabel(reason).fill('Limpieza antes de la prueba de sesiones');
    await admin.getByRole('dialog').getByRole('button', { name: 'Confirmar' }).click();
    await expect(admin.getByTestId('user-session')).toHaveCount(0);
  }
  const laptop = await as(browser, 'operaciones.ejecutivo');
  const phone = await as(browser, 'operaciones.ejecutivo');

  await admin.reload();
  await admin.locator('body[data-hydrated]').waitFor();
  const sessions = admin.getByTestId('user-session');
  await expect(sessions).toHaveCount(2);
  await sessions.first().getByTestId('end-session').click();
  const dialog = admin.getByRole('dialog');
  await expect(dialog).toContainText('Sus otras sesiones siguen abiertas');
  await dialog.getByLabel(reason).fill('Sesión olvidada en un equipo compartido');
  await dialog.getByRole('button', { name: 'Confirmar' }).click();
  await expect(sessions).toHaveCount(1);

  // Exactly one of the two browsers is sent to sign in at its next click.
  const ended = [];
  for (const page of [laptop, phone]) {
    await page.getByRole('link', { name: 'Mi uso' }).click();
    // Either the quota shows (still signed in) or the page is sent to sign in.
    await Promise.race([
      page.waitForURL(/\/login/),
      page.getByTestId('my-quota').waitFor(),
    ]);
    ended.push(page.url().includes('/login'));
  }
  expect(ended.filter(Boolean)).toHaveLength(1);
});
