import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { signIn } from './helpers';

test('the administrator reads last month\'s report and downloads it as PDF and CSV, then a compliance report', async ({ page }) => {
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Reportes' }).click();
  await page.locator('body[data-hydrated]').waitFor();
  await expect(page.getByRole('heading', { name: 'Reporte mensual de auditoría' })).toBeVisible();

  // Last month by default, from the demo's history: who exported, the charts, the log head.
  const month = await page.locator('input[name="mes"]').inputValue();
  expect(month).toMatch(/^\d{4}-\d{2}$/);
  await expect(page.getByTestId('report-users').locator('tbody tr').first()).toBeVisible();
  await expect(page.getByTestId('chart-exports').locator('svg')).toBeVisible();
  await expect(page.getByTestId('report-head')).toContainText('#');
  await expect(page.getByTestId('report-recommendations').locator('li').first()).toBeVisible();

  const pdf = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('monthly-pdf').click(),
  ]).then(([d]) => d);
  expect(pdf.suggestedFilename()).toBe(`centinela-reporte-${month}.pdf`);
  const bytes = readFileSync(await pdf.path());
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  expect(bytes.length).toBeGreaterThan(10_000);

  const csv = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('monthly-csv').click(),
  ]).then(([d]) => d);
  expect(csv.suggestedFilename()).toBe(`centinela-reporte-${month}.csv`);
  const text = readFileSync(await csv.path(), 'utf8');
  expect(text).toContain(`month,${month}`);
  expect(text).toContain('# exports_per_user');
  expect(text).toContain('# recommendations');

  // Another month, by the form: the address keeps it.
  const [year, mm] = month.split('-').map(Number);
  const earlier = mm === 1 ? `${year - 1}-12` : `${year}-${String(mm - 1).padStart(2, '0')}`;
  await page.locator('input[name="mes"]').fill(earlier);
  await page.getByRole('button', { name: 'Ver reporte' }).click();
  await expect(page).toHaveURL(new RegExp(`mes=${earlier}`));
  await expect(page.getByTestId('report-period')).toContainText(`${earlier}-01 00:00`);

  // The compliance report of the last 90 days, computed with its progress, then its table.
  const today = new Date();
  const from = new Date(today.getTime() - 89 * 86_400_000).toISOString().slice(0, 10);
  await page.locator('input[name="from"]').fill(from);
  await page.locator('input[name="to"]').fill(today.toISOString().slice(0, 10));
  await page.getByRole('button', { name: 'Calcular reporte' }).click();
  const categories = page.getByTestId('compliance-categories');
  await expect(categories).toContainText('Autenticación');
  await expect(categories).toContainText('Exportaciones');
  await expect(page.getByTestId('compliance-integrity')).toBeVisible();
  await expect(page.getByTestId('chart-compliance-trend').locator('svg')).toBeVisible();
  const compliance = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('compliance-pdf').click(),
  ]).then(([d]) => d);
  expect(readFileSync(await compliance.path()).subarray(0, 5).toString()).toBe('%PDF-');

  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  await page.screenshot({ path: 'test-results/reports.png', fullPage: true });
});
