import { test, expect, Browser, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { signIn } from './helpers';
import { readFileSync } from 'fs';

// Runs after export.spec.ts (file order): ventas.ejecutivo's quota there is counted first.
// dashboard.spec.ts locked some of these accounts with wrong passwords (five minutes): the
// administrator ends those locks first, as the Users page lets them.
test.beforeAll(async ({ browser }) => {
  const admin = await as(browser, 'admin');
  for (const username of ['ventas.supervisor', 'contabilidad.ejecutivo', 'contabilidad.gerente', 'direccion.director']) {
    const res = await admin.request.post('/api/user_action', {
      data: { username, action: 'unlock', reason: 'Fin del bloqueo de la prueba del panel', alert_id: null },
    });
    // 409: it was not locked.
    expect([200, 409]).toContain(res.status());
  }
  await admin.context().close();
});

const WHY = 'Seguimiento de clientes del tour a Cusco para la gerencia comercial';

async function as(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, username);
  return page;
}

/** Asks for the first `count` contacts; returns the request's number. */
async function askFor(page: Page, count: number): Promise<string> {
  await page.goto(`/exportar?text=&limit=${count}`);
  await page.locator('body[data-hydrated]').waitFor();
  await expect(page.getByTestId('export-matching')).toBeVisible();
  await page.getByLabel('Justificación').fill(WHY);
  await page.getByRole('button', { name: 'Solicitar exportación' }).click();
  const pending = page.getByTestId('export-needs-approval');
  await expect(pending).toContainText('No se exportó: requiere aprobación');
  const number = (await pending.getByText(/Solicitud n\.º \d+/).textContent())!.match(/\d+/)![0];
  return number;
}

/** The approver opens "Aprobaciones" from the menu and approves request `id`. */
async function approve(page: Page, id: string, expected: string) {
  await page.getByRole('link', { name: 'Aprobaciones' }).click();
  await page.locator('body[data-hydrated]').waitFor();
  const card = page.locator(`[data-testid="approval"][data-request="${id}"]`);
  await expect(card).toBeVisible();
  await card.getByTestId('approve').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Comentario (opcional)').fill('Conforme con la justificación');
  await dialog.getByRole('button', { name: 'Aprobar' }).click();
  await expect(page.getByTestId('decided')).toContainText(expected);
  await expect(card).toHaveCount(0);
}

test('an executive asks for 120, the supervisor approves, the file downloads once from Mi uso', async ({ browser }) => {
  const employee = await as(browser, 'ventas.ejecutivo');
  // Who approves is shown before anything is asked.
  await employee.goto('/exportar?text=&limit=120');
  await expect(employee.getByTestId('approval-route').first()).toContainText('Aprueba: ventas.supervisor.');
  const id = await askFor(employee, 120);
  await expect(employee.getByTestId('export-needs-approval').getByTestId('approval-route')).toContainText('ventas.supervisor');

  const supervisor = await as(browser, 'ventas.supervisor');
  await supervisor.getByRole('link', { name: 'Aprobaciones' }).click();
  const card = supervisor.locator(`[data-testid="approval"][data-request="${id}"]`);
  await expect(card).toContainText('ventas.ejecutivo');
  await expect(card.getByTestId('approval-count')).toHaveText('120');
  await expect(card).toContainText(WHY);
  await expect(card).toContainText('Superarías tu límite');
  // The inbox is usable at 390 px and has no serious accessibility violations.
  await supervisor.setViewportSize({ width: 390, height: 844 });
  const overflow = await supervisor.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const results = await new AxeBuilder({ page: supervisor }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  await supervisor.screenshot({ path: 'test-results/approvals-inbox.png', fullPage: true });
  await approve(supervisor, id, 'Aprobada');

  await employee.getByRole('link', { name: 'Mi uso' }).click();
  const mine = employee.locator(`[data-testid="my-request"][data-request="${id}"]`);
  await expect(mine).toContainText('Aprobada');
  await expect(mine).toContainText('ventas.supervisor: aprobó');
  const [download] = await Promise.all([
    employee.waitForEvent('download'),
    mine.getByTestId('grant-download').click(),
  ]);
  const lines = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '').trim().split('\n');
  expect(lines[0]).toBe('full_name');
  expect(lines).toHaveLength(121);
  // Once: the link is gone, the receipt is there, and the day's bar counts the 120.
  await employee.reload();
  await expect(mine.getByTestId('grant-used')).toContainText('R-');
  await expect(mine.getByTestId('grant-download')).toHaveCount(0);
  await expect(employee.getByTestId('my-quota').locator('[data-window="day"]')).toContainText('130 de 50 usados');
  const again = await employee.request.get(`/requests/${id}/download`);
  expect(again.status()).toBe(410);
});

test('contabilidad asks for 60: its supervisor is the CFO, and one approval releases it', async ({ browser }) => {
  const employee = await as(browser, 'contabilidad.ejecutivo');
  await employee.goto('/exportar?text=&limit=60');
  const route = employee.getByTestId('approval-route').first();
  await expect(route).toContainText('Aprueba: contabilidad.gerente.');
  await expect(route).toContainText('Por encima de 50 contactos también aprueba quien tenga el rol Gerente');
  const id = await askFor(employee, 60);
  const cfo = await as(browser, 'contabilidad.gerente');
  await approve(cfo, id, 'Aprobada');
  await employee.getByRole('link', { name: 'Mi uso' }).click();
  const mine = employee.locator(`[data-testid="my-request"][data-request="${id}"]`);
  await expect(mine).toContainText('Aprobaciones: 2 de 2');
  await expect(mine.getByTestId('grant-download')).toBeVisible();
});

test('direccion asks for 1,200: two different people must approve', async ({ browser }) => {
  test.setTimeout(60_000);
  const director = await as(browser, 'direccion.director');
  await director.goto('/exportar?text=&limit=1200');
  const route = director.getByTestId('approval-route').first();
  await expect(route).toContainText('Aprueba: un administrador de seguridad.');
  await expect(route).toContainText('direccion.subdirector');
  const id = await askFor(director, 1200);

  const admin = await as(browser, 'admin');
  await approve(admin, id, 'Pendiente');
  // The same person a second time does not count: the request left the administrator's inbox.
  const res = await admin.request.post('/api/decide_approval', {
    data: { request_id: Number(id), decision: 'approve', comment: null },
  });
  expect(res.status()).toBe(409);

  const second = await as(browser, 'direccion.subdirector');
  await approve(second, id, 'Aprobada');
  await director.getByRole('link', { name: 'Mi uso' }).click();
  const mine = director.locator(`[data-testid="my-request"][data-request="${id}"]`);
  await expect(mine).toContainText('Aprobaciones: 2 de 2');
  await expect(mine).toContainText('admin: aprobó');
  await expect(mine).toContainText('direccion.subdirector: aprobó');
});
