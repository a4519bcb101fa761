import { test, expect, Page } from '@playwright/test';
import { PASSWORD, submitSignIn as signIn } from './helpers';


// Collects what a user would never see but would suffer from: CSP violations, script errors.
function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return problems;
}

test('an employee signs in to the Spanish shell, switches to English and signs out', async ({ page }) => {
  const problems = watchConsole(page);
  await signIn(page, 'ventas.ejecutivo', PASSWORD);

  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('whoami')).toHaveText('ventas.ejecutivo');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Bienvenido');
  const nav = page.getByRole('navigation', { name: 'Navegación principal' });
  await expect(nav.getByRole('link', { name: 'Inicio' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Usuarios' })).toHaveCount(0);
  await expect(page.locator('html')).toHaveAttribute('lang', 'es-PE');

  await page.getByRole('button', { name: 'EN' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Welcome');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();

  // The choice survives a reload: the server renders English from the cookie.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Welcome');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);

  // Back to Spanish for the next test's sake, and no CSP or script errors on the way.
  await page.getByRole('button', { name: 'ES' }).click();
  expect(problems).toEqual([]);
});

test('a wrong password shows the generic message', async ({ page }) => {
  const problems = watchConsole(page);
  await signIn(page, 'ventas.ejecutivo', 'not-the-password');
  await expect(page.getByRole('alert')).toHaveText('Usuario o contraseña incorrectos.');
  await expect(page).toHaveURL(/\/login$/);

  // An unknown user reads exactly the same thing.
  await page.getByLabel('Usuario').fill('nadie.existe');
  await page.getByLabel('Contraseña').fill('not-the-password');
  await page.getByRole('button', { name: 'Ingresar' }).click();
  await expect(page.getByRole('alert')).toHaveText('Usuario o contraseña incorrectos.');
  expect(problems.filter((p) => !p.includes('401'))).toEqual([]);
});

test('the administrator sees the user directory', async ({ page }) => {
  await signIn(page, 'admin', PASSWORD);
  await expect(page.getByTestId('whoami')).toHaveText('admin');
  await page.getByRole('link', { name: 'Usuarios' }).click();
  await expect(page).toHaveURL(/\/usuarios$/);
  await expect(page.getByRole('cell', { name: 'ventas.ejecutivo', exact: true })).toBeVisible();
});
