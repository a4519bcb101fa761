import { test, expect } from '@playwright/test';
import { PASSWORD, signIn, submitSignIn } from './helpers';

test('five wrong passwords lock the account, and the administrator is told', async ({ page, request }) => {
  for (let i = 0; i < 5; i++) {
    const res = await request.post('/api/login', {
      form: { username: 'ventas.gerente', password: 'not-the-password' },
    });
    expect(res.status()).toBe(401);
  }
  // Now even the right password is refused, with the same words as a wrong one.
  await submitSignIn(page, 'ventas.gerente', PASSWORD);
  await expect(page.getByRole('alert')).toHaveText('Usuario o contraseña incorrectos.');
  await expect(page).toHaveURL(/\/login$/);

  // The security administrator's bell counts the alert within seconds.
  await signIn(page, 'admin');
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('bell-count')).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 10_000 });
  await page.getByTestId('bell').click();
  await expect(page).toHaveURL(/\/notificaciones$/);
  const note = page.getByTestId('notification').filter({ hasText: 'Fuerza bruta' }).filter({ hasText: 'ventas.gerente' });
  await expect(note).toContainText('ventas.gerente');
  await note.getByRole('button', { name: 'Marcar como leída' }).click();
  await expect(note.getByRole('button', { name: 'Marcar como leída' })).toHaveCount(0);
});
