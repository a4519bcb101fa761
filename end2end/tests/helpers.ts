import { expect, Page } from '@playwright/test';

export const PASSWORD = process.env.CENTINELA_DEMO_PASSWORD ?? 'centinela-demo-2026';

/** Opens the sign-in page, waits until it is interactive, and submits the form. */
export async function submitSignIn(page: Page, username: string, password: string) {
  await page.goto('/login');
  await page.locator('body[data-hydrated]').waitFor();
  await page.getByLabel('Usuario').fill(username);
  await page.getByLabel('Contraseña').fill(password);
  await page.getByRole('button', { name: 'Ingresar' }).click();
}

/** Signs in with the demo password and waits for the shell. */
export async function signIn(page: Page, username: string) {
  await submitSignIn(page, username, PASSWORD);
  await expect(page.getByTestId('whoami')).toHaveText(username);
}
