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
  expect(fetched.some((name) => name.startsWith('split_admin_page_'))).toBe(true);
  expect(fetched.some((name) => name.startsWith('split_employee_page_'))).toBe(false);
  expect(await page.evaluate(() => (window as any).stillHere)).toBe(true);
});

test("an employee's page opened directly is interactive: its part is fetched before hydrating", async ({ page }) => {
  await signIn(page, 'ventas.ejecutivo');
  const fetched = wasmFetched(page);
  await page.goto('/mi-uso');
  await page.locator('body[data-hydrated]').waitFor();
  await expect(page.getByTestId('my-quota')).toBeVisible();
  expect(fetched.some((name) => name.startsWith('split_employee_page_'))).toBe(true);
  expect(fetched.some((name) => name.startsWith('split_admin_page_'))).toBe(false);

  // The router runs: the export page is drawn in the browser, no reload.
  await page.evaluate(() => ((window as any).stillHere = true));
  await page.getByRole('navigation').getByRole('link', { name: 'Exportar', exact: true }).click();
  await expect(page).toHaveURL(/\/exportar$/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(await page.evaluate(() => (window as any).stillHere)).toBe(true);
});
