// The team's studies: a paged list that refreshes itself, and the form that creates a study.
import yaml from '/webjars/js-yaml/4.1.0/dist/js-yaml.mjs';
import { api, el, formatNumber, formatUsd, hasRole, problemElement } from './app.js';

const PAGE = 25;
const REFRESH_MILLIS = 5000;
const STATUSES = ['', 'created', 'running', 'paused', 'completed', 'halted'];

/** Shows the list; answers the function that stops its refreshing. */
export async function showStudies(view) {
  let offset = 0;
  let status = '';
  let stopped = false;
  let timer = null;
  const table = el('table', { id: 'studies' },
    el('thead', {}, el('tr', {}, ['Study', 'Status', 'Progress', 'Best', 'Spend', 'Created'].map((h) => el('th', {}, h)))),
    el('tbody'));
  const pager = el('div', { class: 'pager' });
  const message = el('div', { class: 'message' });
  const filter = el('select', { id: 'status-filter', onchange: () => { status = filter.value; offset = 0; refresh(); } },
    STATUSES.map((s) => el('option', { value: s }, s || 'all statuses')));

  view.append(el('section', { id: 'studies-view' },
    el('div', { class: 'toolbar' }, el('h1', {}, 'Studies'), filter),
    message, table, pager,
    hasRole('researcher', 'admin') ? createForm() : null));

  async function refresh() {
    clearTimeout(timer);
    try {
      const query = new URLSearchParams({ offset, limit: PAGE });
      if (status) {
        query.set('status', status);
      }
      const page = await api(`/studies?${query}`);
      if (stopped) {
        return;
      }
      message.replaceChildren();
      renderRows(table.tBodies[0], page.items);
      table.dataset.loaded = 'true';
      table.dataset.total = page.total;
      renderPager(page);
      fillSpend(table.tBodies[0], page.items);
    } catch (error) {
      message.replaceChildren(problemElement(error));
    }
    if (!stopped) {
      timer = setTimeout(refresh, REFRESH_MILLIS);
    }
  }

  function renderPager(page) {
    const last = Math.min(page.offset + page.items.length, page.total);
    pager.replaceChildren(
      el('button', { type: 'button', disabled: offset === 0, onclick: () => { offset = Math.max(0, offset - PAGE); refresh(); } }, '‹ newer'),
      el('span', {}, page.total ? ` ${page.offset + 1}–${last} of ${page.total} ` : ' no studies yet '),
      el('button', { type: 'button', disabled: last >= page.total, onclick: () => { offset += PAGE; refresh(); } }, 'older ›'));
  }

  await refresh();
  return () => { stopped = true; clearTimeout(timer); };
}

function renderRows(tbody, studies) {
  tbody.replaceChildren(...studies.map((study) => {
    const used = study.budgetUsed;
    const max = study.maxExperiments;
    return el('tr', { dataset: { studyId: study.id, status: study.status } },
      el('td', { class: 'name' }, el('a', { class: 'open-study', href: `#/studies/${encodeURIComponent(study.id)}` },
        study.name || study.id), el('div', { class: 'muted small' }, study.id)),
      el('td', { class: 'status' }, el('span', { class: `badge ${study.status}` }, study.status)),
      el('td', { class: 'progress' }, el('progress', { max, value: used }), ` ${used} / ${max}`),
      el('td', { class: 'best' }, formatNumber(study.championValue)),
      el('td', { class: 'spend' }, '…'),
      el('td', { class: 'created' }, new Date(study.createdAt).toLocaleString(), el('div', { class: 'muted small' }, study.createdBy)));
  }));
}

/**
 * Language-model spend is in each study's full view, not in the list's summaries: asked for the studies on the page
 * only, at most a page at a time.
 */
async function fillSpend(tbody, studies) {
  await Promise.all(studies.map(async (summary) => {
    const cell = tbody.querySelector(`tr[data-study-id="${CSS.escape(summary.id)}"] td.spend`);
    try {
      const study = await api(`/studies/${encodeURIComponent(summary.id)}`);
      const spend = study.modelSpend;
      cell.textContent = spend ? `${formatUsd(spend.costUsd)} · ${spend.calls} calls` : 'no model calls';
      cell.title = spend ? `tokens in ${spend.tokensIn}, out ${spend.tokensOut}` : '';
    } catch (error) {
      cell.textContent = '?';
    }
  }));
}

/** The spec's text (YAML or JSON), the few fields people change most, and an optional workspace archive. */
function createForm() {
  const specFile = el('input', { type: 'file', id: 'spec-file', accept: '.yaml,.yml,.json' });
  const spec = el('textarea', { id: 'spec', rows: 14, spellcheck: 'false', placeholder: 'the study spec, YAML or JSON' });
  const workspace = el('input', { type: 'file', id: 'workspace-file', accept: '.tar.gz,.tgz,.zip' });
  const fields = {
    name: el('input', { id: 'spec-name', placeholder: 'from the spec' }),
    strategy: el('input', { id: 'spec-strategy', placeholder: 'from the spec' }),
    maxExperiments: el('input', { id: 'spec-max-experiments', type: 'number', min: 1, placeholder: 'from the spec' }),
    parallelism: el('input', { id: 'spec-parallelism', type: 'number', min: 1, placeholder: 'from the spec' }),
  };
  const result = el('div', { id: 'create-result' });
  const submit = el('button', { type: 'submit', id: 'create-submit' }, 'Create study');

  specFile.addEventListener('change', async () => {
    if (specFile.files.length) {
      spec.value = await specFile.files[0].text();
      showFields();
    }
  });
  spec.addEventListener('change', showFields);

  function parsed() {
    const value = yaml.load(spec.value);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new Error('the spec must be a YAML or JSON object');
    }
    return value;
  }

  function showFields() {
    try {
      const value = parsed();
      fields.name.placeholder = value.name ?? '';
      fields.strategy.placeholder = value.strategy ?? 'default';
      fields.maxExperiments.placeholder = value.budget?.maxExperiments ?? '';
      fields.parallelism.placeholder = value.budget?.parallelism ?? '';
      result.replaceChildren();
    } catch (error) {
      result.replaceChildren(el('div', { class: 'problem' }, `The spec does not parse: ${error.message}`));
    }
  }

  async function create(event) {
    event.preventDefault();
    submit.disabled = true;
    result.replaceChildren(el('span', { class: 'muted' }, 'creating …'));
    try {
      const value = parsed();
      if (fields.name.value) value.name = fields.name.value;
      if (fields.strategy.value) value.strategy = fields.strategy.value;
      if (fields.maxExperiments.value || fields.parallelism.value) {
        value.budget = { ...(value.budget || {}) };
        if (fields.maxExperiments.value) value.budget.maxExperiments = Number(fields.maxExperiments.value);
        if (fields.parallelism.value) value.budget.parallelism = Number(fields.parallelism.value);
      }
      if (workspace.files.length) {
        const archive = workspace.files[0];
        const uploaded = await api('/workspaces', {
          method: 'POST', body: archive, contentType: archive.name.endsWith('.zip') ? 'application/zip' : 'application/gzip',
        });
        value.workspace = uploaded.tree;
      }
      const accepted = await api('/studies', { method: 'POST', body: JSON.stringify(value), contentType: 'application/json' });
      result.replaceChildren('Created ', el('a', { class: 'open-study', href: `#/studies/${encodeURIComponent(accepted.studyId)}` },
        accepted.name), ` (${accepted.studyId})`);
    } catch (error) {
      result.replaceChildren(problemElement(error));
    } finally {
      submit.disabled = false;
    }
  }

  return el('form', { id: 'create-study', onsubmit: create },
    el('h2', {}, 'New study'),
    el('label', {}, 'Spec file ', specFile),
    spec,
    el('div', { class: 'fields' }, Object.entries(fields).map(([name, input]) => el('label', {}, `${name} `, input))),
    el('label', {}, 'Workspace (.tar.gz or .zip, optional) ', workspace),
    el('div', {}, submit), result);
}
