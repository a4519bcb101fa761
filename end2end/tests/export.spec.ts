import { test, expect, Page } from '@playwright/test';
import { signIn } from './helpers';
import { readFileSync } from 'fs';

const JUSTIFICATION = 'Campaña de email marketing Q4: seguimiento de clientes del tour Cusco';

async function openExport(page: Page, query: string) {
  await page.goto(`/exportar?${query}`);
  await page.locator('body[data-hydrated]').waitFor();
  await expect(page.getByTestId('export-matching')).toBeVisible();
}

test('an employee filters, exports 10 contacts as CSV, and sees the quota used', async ({ page }) => {
  await signIn(page, 'ventas.ejecutivo');

  // Filter the contacts list by city.
  await page.getByRole('link', { name: 'Contactos' }).click();
  await page.locator('select[name="city"]').selectOption('Lima');
  await page.getByRole('button', { name: 'Filtrar' }).click();
  await expect(page).toHaveURL(/city=Lima/);
  const cities = await page.getByTestId('contacts-table').locator('tbody tr td:nth-child(5)').allTextContents();
  expect(cities.length).toBeGreaterThan(0);
  expect(new Set(cities)).toEqual(new Set(['Lima']));

  // Export that filter, 10 contacts, three fields.
  await page.getByRole('link', { name: 'Exportar este filtro' }).click();
  await expect(page).toHaveURL(/\/exportar\?.*city=Lima/);
  await page.locator('body[data-hydrated]').waitFor();
  await expect(page.getByTestId('export-matching')).toContainText('hasta 10');
  await page.getByLabel('Correo').check();
  await page.getByLabel('Teléfono').check();
  await expect(page.getByLabel('Pasaporte')).toHaveCount(0);
  await page.getByLabel('Justificación').fill(JUSTIFICATION);
  await page.getByRole('button', { name: 'Solicitar exportación' }).click();
  const allowed = page.getByTestId('export-allowed');
  await expect(allowed).toContainText('Exportación lista');
  await expect(allowed).toContainText('10 contactos');
  const receipt = (await allowed.getByTestId('receipt').textContent())!.trim();

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    allowed.getByRole('link', { name: 'Descargar' }).click(),
  ]);
  const text = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
  const lines = text.trim().split('\n');
  expect(lines[0]).toBe('full_name,email,phone');
  expect(lines).toHaveLength(11);

  // "Mi uso" shows 10 of 50 used today, and the receipt.
  await page.getByRole('link', { name: 'Mi uso' }).click();
  const day = page.getByTestId('my-quota').locator('[data-window="day"]');
  await expect(day).toContainText('10 de 50 usados');
  await expect(day).toContainText('Quedan 40');
  // Newest first, above the demo's older exports: this one, by its receipt, downloaded.
  const newest = page.getByTestId('my-exports').locator('tbody tr').first();
  await expect(newest).toContainText(receipt);
  await expect(newest).toContainText('Descargado');

  // A second export of 45 does not fit: it is not exported, and the page says what remains.
  await openExport(page, 'text=&limit=45');
  await page.getByLabel('Justificación').fill(JUSTIFICATION);
  await page.getByRole('button', { name: 'Solicitar exportación' }).click();
  const refused = page.getByTestId('export-needs-approval');
  await expect(refused).toContainText('No se exportó');
  await expect(refused).toContainText('te quedan 40');
  await page.getByRole('link', { name: 'Mi uso' }).click();
  await expect(page.getByTestId('my-quota').locator('[data-window="day"]')).toContainText('10 de 50 usados');
  await expect(page.getByTestId('my-requests')).toContainText('Pendiente');
});

test('marketing never sees a contact without marketing consent', async ({ page }) => {
  await signIn(page, 'marketing.ejecutivo');
  await page.goto('/contactos');
  const table = page.getByTestId('contacts-table');
  const consentColumn = (await table.locator('thead th').allTextContents()).indexOf('Consentimiento de marketing');
  expect(consentColumn).toBeGreaterThan(0);
  const values = await table.locator(`tbody tr td:nth-child(${consentColumn + 1})`).allTextContents();
  expect(values.length).toBe(25);
  expect(new Set(values)).toEqual(new Set(['Sí']));
  await page.goto('/contactos?consent=0');
  await expect(page.getByTestId('contacts-total')).toHaveText('0 contactos');
});

test('the server refuses a hand-made request for a field the department may not export', async ({ page }) => {
  await signIn(page, 'ventas.asistente');
  const res = await page.request.post('/api/request_export', {
    data: {
      selection: { filter: { text: '', limit: 5 } },
      fields: ['full_name', 'passport_number'],
      format: 'csv',
      justification: JUSTIFICATION,
      campaign: null,
    },
  });
  expect(res.status()).toBe(403);
  const body = await res.json();
  expect(body.code).toBe('field_not_allowed');
  expect(body.message).toContain('passport_number');
});

test('operations reveals a passport only on request', async ({ page }) => {
  await signIn(page, 'operaciones.ejecutivo');
  await page.goto('/contactos');
  await page.locator('body[data-hydrated]').waitFor();
  const reveal = page.getByRole('button', { name: 'Ver' }).first();
  // Pin this very cell: once revealed, "the first Ver button" is another row's.
  const cell = await reveal.evaluateHandle((button) => button.closest('td')!);
  expect(await cell.evaluate((td) => td.textContent)).toContain('••••••');
  await reveal.click();
  await expect
    .poll(() => cell.evaluate((td) => td.querySelector('.revealed')?.textContent ?? ''))
    .toMatch(/^[PUA]\d{7}$/);
});
