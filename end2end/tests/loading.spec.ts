import { test, expect, Page } from '@playwright/test';
import { signIn } from './helpers';

/** The names of the WebAssembly files the page fetches from now on. */
function wasmFetched(page: Page): string[] {
  const names: string[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.pathname.endsWith('.wasm')) names.push(url.pathname.split('/').pop()!);
  });
  return names;
}

test('the dashboard loads with the shell alone; the alerts pages come when first opened, without a reload', async ({ page }) => {
  await signIn(page, 'admin');
  const fetched = wasmFetched(page);
  await page.goto('/panel');
  await page.locator('body[data-hydrated]').waitFor();
  await expect(page.getByTestId('overall')).toBeVisible();
  expect(fetched).toEqual(['centinela_bg.wasm']);

  // A marker that a reload would wipe out.
  await page.evaluate(() => ((window as any).stillHere = true));
  await page.getByRole('navigation').getByRole('link', { name: 'Alertas', exact: true }).click();
  await expect(page).toHaveURL(/\/alertas$/);
  // Drawn in the browser by the administrators' part, fetched just now.
  await expect(page.getByTestId('alert-filters')).toBeVisible();
  expect(fetched.some((name) => name.startsWith('split_admin_page'))).toBe(true);
  expect(fetched.some((name) => name.startsWith('split_employee_page'))).toBe(false);
  expect(await page.evaluate(() => (window as any).stillHere)).toBe(true);
});

test("an employee's page opened directly is interactive: its part is fetched before hydrating", async ({ page }) => {
  await signIn(page, 'ventas.ejecutivo');
  const fetched = wasmFetched(page);
  await page.goto('/mi-uso');
  await page.locator('body[data-hydrated]').waitFor();
  await expect(page.getByTestId('my-quota')).toBeVisible();
  expect(fetched.some((name) => name.startsWith('split_employee_page'))).toBe(true);
  expect(fetched.some((name) => name.startsWith('split_admin_page'))).toBe(false);

  // The router runs: the export page is drawn in the browser, no reload.
  await page.evaluate(() => ((window as any).stillHere = true));
  await page.getByRole('navigation').getByRole('link', { name: 'Exportar', exact: true }).click();
  await expect(page).toHaveURL(/\/exportar$/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(await page.evaluate(() => (window as any).stillHere)).toBe(true);
});

test('a part that cannot be fetched gives a message and a retry, not a dead tab', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, 'admin');
  await page.goto('/panel');
  await page.locator('body[data-hydrated]').waitFor();

  // The connection drops just as the administrators' part is wanted.
  await page.route(/split_admin_page/, (route) => route.abort('internetdisconnected'));
  await page.evaluate(() => ((window as any).stillHere = true));
  await page.getByRole('navigation').getByRole('link', { name: 'Alertas', exact: true }).click();
  const message = page.getByRole('alert').filter({ hasText: 'No se pudo cargar esta página' });
  await expect(message).toBeVisible();
  expect(errors).toEqual([]);

  // The rest of the app still runs: the landing page is drawn client-side.
  await page.getByRole('navigation').getByRole('link', { name: 'Inicio', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(message).toHaveCount(0);
  expect(await page.evaluate(() => (window as any).stillHere)).toBe(true);

  // Back online, "Reintentar" on the alerts page loads it.
  await page.getByRole('navigation').getByRole('link', { name: 'Alertas', exact: true }).click();
  await expect(message).toBeVisible();
  await page.unroute(/split_admin_page/);
  await page.getByRole('button', { name: 'Reintentar' }).click();
  await expect(page).toHaveURL(/\/alertas$/);
  await expect(page.getByTestId('alert-filters')).toBeVisible();
  await page.locator('body[data-hydrated]').waitFor();
  expect(errors).toEqual([]);
});

test('a page whose part cannot be fetched at the start stays readable as the server drew it', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, 'ventas.ejecutivo');
  await page.route(/split_employee_page/, (route) => route.abort('internetdisconnected'));
  await page.goto('/mi-uso');
  const message = page.getByRole('alert').filter({ hasText: 'No se pudo cargar esta página' });
  await expect(message).toBeVisible();
  // Not hydrated, no panic: the server's page is still there to read.
  await expect(page.getByTestId('my-quota')).toBeVisible();
  expect(await page.locator('body[data-hydrated]').count()).toBe(0);
  expect(errors).toEqual([]);

  // Back online, "Reintentar" loads the page again, whole and interactive.
  await page.unroute(/split_employee_page/);
  await message.getByRole('link', { name: 'Reintentar' }).click();
  await page.locator('body[data-hydrated]').waitFor();
  await expect(page).toHaveURL(/\/mi-uso$/);
  await expect(message).toHaveCount(0);
  await expect(page.getByTestId('my-quota')).toBeVisible();
  expect(errors).toEqual([]);
});
