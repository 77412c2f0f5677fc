// One study, live: its header and controls, charts, champion lineage with evidence and diffs, approvals, time travel
// and postmortem. Live updates come from the study's event stream; what is drawn comes from the API's aggregated reads
// (charts, lineage, study view), so a study of 10 000 experiments costs the browser no more than a small one.
import { api, el, formatNumber, formatUsd, hasRole, problemElement } from './app.js';
import { createCharts } from './charts.js';

/** At most one refresh of the views per this many milliseconds, however fast events arrive. */
const REFRESH_MILLIS = 1500;
/** The lineage changes with proposals and champions only, and costs more to read: less often. */
const LINEAGE_REFRESH_MILLIS = 5000;
const CHART_POINTS = 2000;
const LINEAGE_PAGE = 5000;
const ENDED = new Set(['completed', 'halted']);
/** The stream names each event by its logical type (EventTypes); an EventSource hears only the names it listens to. */
const STREAM_EVENTS = ['study.created', 'study.paused', 'study.resumed', 'study.halted', 'study.completed',
  'proposal.created', 'proposal.rejected', 'experiment.started', 'experiment.completed', 'experiment.failed',
  'evaluation.completed', 'champion.changed', 'strategy.updated', 'promotion.requested', 'promotion.approved',
  'promotion.rejected', 'model.call-completed'].map((name) => `seedloop.${name}`);
/** Event types after which the lineage and the postmortem's evidence may have changed. */
const LINEAGE_EVENTS = new Set(['proposal.created', 'evaluation.completed', 'champion.changed', 'promotion.approved',
  'promotion.rejected'].map((name) => `seedloop.${name}`));

/**
 * A study created a moment ago may not have reached the learner's read model yet: a 404 is asked again for a few
 * seconds before it counts.
 */
async function firstView(path) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await api(path);
    } catch (error) {
      if (error.status !== 404 || attempt >= 10) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

export async function showStudy(view, studyId) {
  const path = `/studies/${encodeURIComponent(studyId)}`;
  const canSteer = hasRole('researcher', 'admin');
  const canApprove = hasRole('approver');
  let study = await firstView(path);
  let stream = null;
  let stopped = false;
  let refreshTimer = null;
  let lineageDue = true;
  let lastLineageAt = 0;
  let travelAt = null;
  let promotions = new Map();
  let chartPoints = new Map();
  let lineageNodes = new Map();

  const ui = {
    status: el('span', { id: 'study-status', class: 'badge' }),
    progress: el('span', { id: 'study-progress' }),
    best: el('span', { id: 'study-best' }),
    spend: el('span', { id: 'study-spend' }),
    live: el('span', { id: 'live', class: 'live', dataset: { state: 'connecting', sequence: '0' } }, 'connecting'),
    facts: el('dl', { class: 'facts' }),
    controls: el('div', { class: 'controls' }),
    controlMessage: el('div', { id: 'control-message' }),
    chartsNote: el('div', { class: 'muted small', id: 'charts-note' }),
    lineage: el('div', { id: 'lineage', class: 'lineage' }),
    nodeDetail: el('div', { id: 'node-detail', class: 'node-detail' },
      el('p', { class: 'muted' }, 'Open a node of the lineage to see its evidence and its code.')),
    approvals: el('table', { id: 'approvals' }),
    approvalsMessage: el('div', { id: 'approvals-message' }),
    slider: el('input', { id: 'time-slider', type: 'range', min: 1, step: 1 }),
    timeSequence: el('span', { id: 'time-sequence' }),
    timeState: el('div', { id: 'time-state' }),
    forkResult: el('div', { id: 'fork-result' }),
    postmortem: el('div', { id: 'postmortem' }),
    postmortemDownload: el('a', { id: 'postmortem-download', hidden: true }, 'Download (Markdown)'),
  };
  const chartElements = {
    objective: el('div', { id: 'chart-objective', class: 'chart wide' }),
    states: el('div', { id: 'chart-states', class: 'chart' }),
    failures: el('div', { id: 'chart-failures', class: 'chart' }),
    params: el('div', { id: 'chart-params', class: 'chart wide' }),
  };

  view.append(el('section', { id: 'study', dataset: { studyId } },
    el('div', { class: 'toolbar' },
      el('a', { href: '#/' }, '‹ Studies'),
      el('h1', {}, study.name), ui.status, ui.live),
    el('div', { class: 'summary' },
      el('div', {}, el('div', { class: 'muted small' }, 'progress'), ui.progress),
      el('div', {}, el('div', { class: 'muted small' }, `best ${study.metric} (${study.direction.toLowerCase()})`), ui.best),
      el('div', {}, el('div', { class: 'muted small' }, 'model spend'), ui.spend)),
    ui.facts,
    canSteer ? el('div', {}, ui.controls, ui.controlMessage) : null,
    el('h2', {}, 'Experiments'), ui.chartsNote,
    el('div', { class: 'charts' }, chartElements.objective, chartElements.states, chartElements.failures, chartElements.params),
    el('h2', {}, 'Pending approvals'), ui.approvals, ui.approvalsMessage,
    el('h2', {}, 'Champion lineage'),
    el('div', { class: 'lineage-pane' }, ui.lineage, ui.nodeDetail),
    el('h2', {}, 'Time travel'),
    el('div', { class: 'time' }, ui.slider, ' ', el('span', {}, 'sequence '), ui.timeSequence,
      el('button', { type: 'button', id: 'time-live', onclick: () => travel(null) }, 'Back to live')),
    ui.timeState,
    canSteer ? forkForm() : null,
    el('h2', {}, 'Postmortem'),
    el('div', {}, el('button', { type: 'button', id: 'postmortem-load', onclick: loadPostmortem }, 'Show postmortem'),
      ' ', ui.postmortemDownload),
    ui.postmortem));

  const charts = createCharts(chartElements);
  charts.onPointClick((proposalId) => openNode(proposalId));

  ui.slider.addEventListener('input', () => { ui.timeSequence.textContent = ui.slider.value; });
  ui.slider.addEventListener('change', () => travel(Number(ui.slider.value)));

  renderStudy();
  await Promise.all([refreshCharts(), refreshLineage()]);
  openStream();
  // Events drive the page; this only catches what a long reconnection might have hidden for a while.
  const poll = setInterval(() => { if (!ENDED.has(study.status)) scheduleRefresh(); }, 30_000);

  function openStream() {
    if (ENDED.has(study.status)) {
      // Ended before the page opened: what it shows is already the whole study.
      ui.live.dataset.sequence = String(study.lastSequence);
      setLive('closed');
      return;
    }
    // The browser's EventSource resumes by itself with Last-Event-ID after a dropped connection; 'after' only sets
    // where the first connection starts, so a long study's history is not streamed to the page again.
    stream = new EventSource(`studies/${encodeURIComponent(studyId)}/stream?after=${study.lastSequence}`);
    stream.onopen = () => setLive('live');
    stream.onerror = () => setLive(stream.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    stream.onmessage = (message) => received(message);
    for (const type of STREAM_EVENTS) {
      stream.addEventListener(type, received);
    }
  }

  /**
   * Nothing follows the end of a study, and an open stream would only be reopened by the browser again and again; it
   * closes once the page has seen every event up to the study's last one.
   */
  function closeStreamAtTheEnd() {
    if (ENDED.has(study.status) && stream && stream.readyState !== EventSource.CLOSED
        && Number(ui.live.dataset.sequence) >= study.lastSequence) {
      stream.close();
      setLive('closed');
    }
  }

  function setLive(state) {
    ui.live.dataset.state = state;
    ui.live.textContent = state === 'closed' ? 'ended' : state;
  }

  function received(message) {
    setLive('live');
    const sequence = Number(message.lastEventId);
    if (sequence > Number(ui.live.dataset.sequence)) {
      ui.live.dataset.sequence = String(sequence);
    }
    closeStreamAtTheEnd();
    if (LINEAGE_EVENTS.has(message.type)) {
      lineageDue = true;
    }
    scheduleRefresh();
  }

  function scheduleRefresh() {
    if (refreshTimer === null && !stopped) {
      refreshTimer = setTimeout(async () => {
        try {
          study = await api(path);
          renderStudy();
          const work = [];
          if (travelAt === null) {
            work.push(refreshCharts());
          }
          if (lineageDue && Date.now() - lastLineageAt >= LINEAGE_REFRESH_MILLIS) {
            work.push(refreshLineage());
          }
          await Promise.all(work);
        } catch (error) {
          ui.controlMessage.replaceChildren(problemElement(error));
        } finally {
          refreshTimer = null;
          if (lineageDue) {
            scheduleRefresh();
          }
        }
      }, REFRESH_MILLIS);
    }
  }

  function renderStudy() {
    closeStreamAtTheEnd();
    ui.status.textContent = study.status;
    ui.status.className = `badge ${study.status}`;
    const budget = study.budget;
    ui.progress.replaceChildren(el('progress', { max: budget.maxExperiments, value: budget.used }),
      ` ${budget.used} / ${budget.maxExperiments} experiments`);
    ui.best.textContent = formatNumber(study.champion?.value);
    const spend = study.modelSpend;
    ui.spend.textContent = spend ? `${formatUsd(spend.costUsd)}${spend.maxCostUsd ? ` of ${formatUsd(spend.maxCostUsd)}` : ''}`
      + ` · ${spend.calls} calls` : '–';
    ui.facts.replaceChildren(...[
      ['strategy', study.strategy], ['promotion', study.promotion], ['proposals', study.proposals],
      ['completed', study.experimentsCompleted], ['failed', study.experimentsFailed],
      ['parallelism', budget.parallelism], ['created', `${new Date(study.createdAt).toLocaleString()} by ${study.createdBy}`],
      ['ended', study.completionReason],
      ['forked from', study.origin ? el('a', { href: `#/studies/${encodeURIComponent(study.origin.studyId)}` },
        `${study.origin.studyId} @ ${study.origin.atSequence}`) : null],
    ].filter(([, value]) => value !== null && value !== undefined)
      .flatMap(([name, value]) => [el('dt', {}, name), el('dd', {}, value)]));
    renderControls();
    renderApprovals();
    ui.slider.max = String(Math.max(1, study.lastSequence));
    if (travelAt === null) {
      ui.slider.value = ui.slider.max;
      ui.timeSequence.textContent = `${study.lastSequence} (live)`;
    }
  }

  function renderControls() {
    if (!canSteer) {
      return;
    }
    const reason = ui.controls.querySelector('#control-reason')
      || el('input', { id: 'control-reason', placeholder: 'reason (recorded with the action)' });
    const button = (id, label, action, enabled) => el('button', { type: 'button', id, disabled: !enabled,
      onclick: () => steer(action, reason.value) }, label);
    ui.controls.replaceChildren(reason,
      button('pause', 'Pause', 'pause', study.status === 'running'),
      button('resume', 'Resume', 'resume', study.status === 'paused'),
      button('halt', 'Halt', 'halt', !ENDED.has(study.status)));
  }

  async function steer(action, reason) {
    try {
      const accepted = await api(`${path}/${action}`, { method: 'POST', contentType: 'application/json',
        body: JSON.stringify({ reason: reason || null }) });
      ui.controlMessage.replaceChildren(el('span', { class: 'ok' }, `${accepted.action} recorded by ${accepted.by}`));
      scheduleRefresh();
    } catch (error) {
      ui.controlMessage.replaceChildren(problemElement(error));
    }
  }

  function renderApprovals() {
    const pending = study.pendingApprovals || [];
    const head = el('thead', {}, el('tr', {}, ['Candidate', 'Value', 'Compared with (then)', 'Requested', canApprove ? 'Decision' : null]
      .filter(Boolean).map((h) => el('th', {}, h))));
    const rows = pending.map((candidate) => {
      const reason = el('input', { class: 'reason', placeholder: 'reason' });
      return el('tr', { dataset: { proposalId: candidate.proposalId } },
        el('td', {}, el('button', { type: 'button', class: 'link', onclick: () => openNode(candidate.proposalId) },
          candidate.proposalId)),
        el('td', {}, formatNumber(candidate.value)),
        el('td', {}, candidate.comparedWith ? `champion ${candidate.comparedWith.slice(0, 8)}` : 'none: the first result'),
        el('td', {}, new Date(candidate.requestedAt).toLocaleString()),
        canApprove ? el('td', {}, reason,
          el('button', { type: 'button', class: 'approve', onclick: () => decide(candidate.proposalId, 'approve', reason.value) }, 'Approve'),
          el('button', { type: 'button', class: 'reject', onclick: () => decide(candidate.proposalId, 'reject', reason.value) }, 'Reject'))
          : null);
    });
    const body = el('tbody', {}, rows.length ? rows
      : el('tr', { class: 'empty' }, el('td', { colspan: 5, class: 'muted' },
        study.promotion === 'manual' ? 'nothing waiting' : 'this study promotes automatically')));
    ui.approvals.replaceChildren(head, body);
    ui.approvals.dataset.loaded = 'true';
  }

  async function decide(proposalId, action, reason) {
    try {
      const accepted = await api(`${path}/candidates/${encodeURIComponent(proposalId)}/${action}`, {
        method: 'POST', contentType: 'application/json', body: JSON.stringify({ reason: reason || null }),
      });
      ui.approvalsMessage.replaceChildren(el('span', { class: 'ok' },
        `${action === 'approve' ? 'Approved' : 'Rejected'} ${proposalId} as ${accepted.by}`));
      lineageDue = true;
      scheduleRefresh();
    } catch (error) {
      ui.approvalsMessage.replaceChildren(problemElement(error));
    }
  }

  async function refreshCharts(at = null) {
    try {
      const query = new URLSearchParams({ points: CHART_POINTS });
      if (at !== null) {
        query.set('at', at);
      }
      const view = await api(`${path}/charts?${query}`);
      chartPoints = new Map(view.points.map((point) => [point.proposalId, point]));
      charts.update(view);
      ui.chartsNote.textContent = `${view.evaluationsTotal} evaluations`
        + (view.pointsOmitted ? `, ${view.points.length} drawn (the envelope and every champion)` : '')
        + (at !== null ? ` · as of sequence ${view.sequence}` : '');
    } catch (error) {
      ui.chartsNote.replaceChildren(problemElement(error));
    }
  }

  async function refreshLineage() {
    lineageDue = false;
    lastLineageAt = Date.now();
    const nodes = [];
    let champions = [];
    for (let offset = 0; ; offset += LINEAGE_PAGE) {
      const page = await api(`${path}/lineage?offset=${offset}&limit=${LINEAGE_PAGE}`);
      champions = page.champions;
      nodes.push(...page.nodes);
      if (offset + page.nodes.length >= page.nodesTotal || page.nodes.length === 0) {
        break;
      }
    }
    lineageNodes = new Map(nodes.map((node) => [node.proposalId, node]));
    if (champions.length !== promotions.size) {
      await loadPromotions();
    }
    renderLineage(champions);
  }

  /** The evidence of every promotion (repeats, interval, held-out, approver) is the postmortem's lineage. */
  async function loadPromotions() {
    try {
      const postmortem = await api(`${path}/postmortem`);
      promotions = new Map(postmortem.lineage.map((promotion) => [promotion.proposalId, promotion]));
    } catch (error) {
      promotions = new Map();
    }
  }

  /**
   * The champions and their ancestors as a tree (each under its first parent); other proposals are left out, so a
   * study of 10 000 proposals draws its lineage, not its whole history.
   */
  function renderLineage(champions) {
    const championIds = new Set(champions.map((c) => c.proposalId));
    const keep = new Set();
    for (const id of championIds) {
      for (let current = id, depth = 0; current && !keep.has(current) && depth < 10_000; depth++) {
        keep.add(current);
        current = lineageNodes.get(current)?.parents?.[0];
      }
    }
    const children = new Map();
    const roots = [];
    for (const id of keep) {
      const parent = lineageNodes.get(id)?.parents?.[0];
      if (parent && keep.has(parent)) {
        (children.get(parent) || children.set(parent, []).get(parent)).push(id);
      } else {
        roots.push(id);
      }
    }
    const latest = champions.length ? champions[champions.length - 1].proposalId : null;
    const item = (id) => {
      const node = lineageNodes.get(id);
      const champion = championIds.has(id);
      const kids = children.get(id) || [];
      return el('li', { class: `node${champion ? ' champion' : ''}${id === latest ? ' current' : ''}`,
        dataset: { proposalId: id } },
        el('button', { type: 'button', class: 'open-node', onclick: () => openNode(id) },
          `${node?.operator ?? 'proposal'} · ${formatNumber(node?.value)}`),
        el('span', { class: 'muted small' }, ` ${id.slice(0, 8)}${champion ? ' ★ champion' : ''}`
          + `${node?.verdict ? ` · ${node.verdict}` : ''}${node?.inheritedFrom ? ' · inherited' : ''}`),
        kids.length ? el('ul', {}, kids.map(item)) : null);
    };
    ui.lineage.replaceChildren(roots.length
      ? el('ul', { class: 'tree' }, roots.map(item))
      : el('p', { class: 'muted' }, 'no champion yet'));
    ui.lineage.dataset.nodes = String(keep.size);
  }

  async function openNode(proposalId) {
    const node = lineageNodes.get(proposalId);
    const promotion = promotions.get(proposalId);
    const point = chartPoints.get(proposalId);
    const evidence = promotion?.evidence;
    const facts = [
      ['proposal', proposalId], ['operator', node?.operator], ['verdict', node?.verdict ?? point?.verdict],
      ['value', formatNumber(promotion?.value ?? node?.value ?? point?.value)],
      ['interval', evidence?.ciLow !== undefined && evidence?.ciLow !== null
        ? `${formatNumber(evidence.ciLow)} … ${formatNumber(evidence.ciHigh)}`
        : point?.ciLow !== null && point?.ciLow !== undefined ? `${formatNumber(point.ciLow)} … ${formatNumber(point.ciHigh)}` : null],
      ['repeats', evidence?.repeats], ['p-value', evidence?.pValue !== null && evidence?.pValue !== undefined ? formatNumber(evidence.pValue) : null],
      ['validation', evidence ? (evidence.validationPassed ? 'passed' : 'failed') : null],
      ['held-out', evidence?.heldOutValue !== null && evidence?.heldOutValue !== undefined ? formatNumber(evidence.heldOutValue) : null],
      ['promoted because', evidence?.reason],
      ['approved by', promotion?.approvedBy ? `${promotion.approvedBy}${promotion.approvalReason ? ` — ${promotion.approvalReason}` : ''}` : null],
      ['parents', node?.parents?.length ? node.parents.map((p) => p.slice(0, 8)).join(', ') : null],
    ].filter(([, value]) => value !== null && value !== undefined && value !== '–');
    const diff = el('pre', { id: 'node-diff', class: 'diff' }, 'loading the code …');
    ui.nodeDetail.dataset.proposalId = proposalId;
    ui.nodeDetail.replaceChildren(el('h3', {}, promotion ? 'Champion' : 'Proposal', ' ', proposalId.slice(0, 8)),
      el('dl', { id: 'node-evidence', class: 'facts' }, facts.flatMap(([name, value]) => [el('dt', {}, name), el('dd', {}, value)])),
      el('h4', {}, 'Code against its parent'), diff);
    charts.highlight(proposalId);
    try {
      const text = await api(`${path}/proposals/${encodeURIComponent(proposalId)}/diff`, { accept: 'text/plain', as: 'text' });
      renderDiff(diff, text);
    } catch (error) {
      diff.replaceChildren(error.status === 404 ? 'This proposal changed no code (parameters only).' : problemElement(error));
    }
  }

  function renderDiff(pre, text) {
    if (!text.trim()) {
      pre.textContent = 'No code change against its parent: this proposal set parameters only.';
      return;
    }
    pre.replaceChildren(...text.split('\n').map((line) => el('span', {
      class: line.startsWith('+++') || line.startsWith('---') ? 'file'
        : line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : line.startsWith('@@') ? 'hunk' : 'ctx',
    }, `${line}\n`)));
  }

  async function travel(sequence) {
    travelAt = sequence;
    if (sequence === null) {
      ui.slider.value = ui.slider.max;
      ui.timeSequence.textContent = `${study.lastSequence} (live)`;
      ui.timeState.replaceChildren();
      await refreshCharts();
      return;
    }
    ui.timeSequence.textContent = String(sequence);
    try {
      const [state] = await Promise.all([api(`${path}/state?at=${sequence}`), refreshCharts(sequence)]);
      if (travelAt !== sequence) {
        return;
      }
      const s = state.state.study;
      ui.timeState.dataset.sequence = String(state.sequence);
      ui.timeState.replaceChildren(el('dl', { class: 'facts' }, [
        ['at sequence', state.sequence], ['recorded', state.recordedAt ? new Date(state.recordedAt).toLocaleString() : '–'],
        ['status', s.status.toLowerCase()], ['proposals', s.proposals], ['experiments started', s.experimentsStarted],
        ['completed', s.experimentsCompleted], ['failed', s.experimentsFailed], ['evaluations', s.evaluations],
        ['champion', s.championProposalId ? `${s.championProposalId.slice(0, 8)} = ${formatNumber(s.bestValue)}` : 'none yet'],
        ['strategy revision', s.strategyRevision],
      ].flatMap(([name, value]) => [el('dt', {}, name), el('dd', {}, value)])));
    } catch (error) {
      ui.timeState.replaceChildren(problemElement(error));
    }
  }

  function forkForm() {
    const spec = el('textarea', { id: 'fork-spec', rows: 6, spellcheck: 'false',
      placeholder: 'the fork\'s own spec (YAML or JSON): e.g. this study\'s spec file with another strategy or budget' });
    const file = el('input', { type: 'file', id: 'fork-spec-file', accept: '.yaml,.yml,.json',
      onchange: async () => { if (file.files.length) spec.value = await file.files[0].text(); } });
    const fork = async () => {
      const at = travelAt ?? study.lastSequence;
      try {
        const text = spec.value.trim();
        const accepted = await api(`${path}/forks?at=${at}`, { method: 'POST', body: text,
          contentType: text.startsWith('{') ? 'application/json' : 'application/yaml' });
        ui.forkResult.replaceChildren('Forked at ', String(at), ': ',
          el('a', { class: 'open-study', href: `#/studies/${encodeURIComponent(accepted.studyId)}` }, accepted.name),
          ` (inherits ${accepted.inherited ?? 0} evaluated proposals)`);
      } catch (error) {
        ui.forkResult.replaceChildren(problemElement(error));
      }
    };
    return el('div', { class: 'fork' }, el('label', {}, 'Fork spec ', file), spec,
      el('button', { type: 'button', id: 'fork', onclick: fork }, 'Fork from the chosen sequence'), ui.forkResult);
  }

  async function loadPostmortem() {
    try {
      const [html, markdown] = await Promise.all([
        api(`${path}/postmortem`, { accept: 'text/html', as: 'text' }),
        api(`${path}/postmortem`, { accept: 'text/markdown', as: 'text' }),
      ]);
      // The postmortem quotes what experiments printed: it is shown in a frame that may run nothing.
      ui.postmortem.replaceChildren(el('iframe', { class: 'postmortem', sandbox: '', srcdoc: html, title: 'postmortem' }));
      if (ui.postmortemDownload.href) {
        URL.revokeObjectURL(ui.postmortemDownload.href);
      }
      ui.postmortemDownload.href = URL.createObjectURL(new Blob([markdown], { type: 'text/markdown' }));
      ui.postmortemDownload.download = `postmortem-${studyId}.md`;
      ui.postmortemDownload.hidden = false;
    } catch (error) {
      ui.postmortem.replaceChildren(problemElement(error));
    }
  }

  return () => {
    stopped = true;
    clearTimeout(refreshTimer);
    clearInterval(poll);
    stream?.close();
    charts.dispose();
  };
}
