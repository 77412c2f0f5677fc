// Interim: the ECharts views land from the dashboard-charts branch; until then the containers say what they hold.
export function createCharts(elements) {
  let click = () => {};
  return {
    update(view) {
      elements.objective.textContent = `${view.points.length} of ${view.evaluationsTotal} evaluations`;
      elements.objective.dataset.points = String(view.points.length);
      elements.params.dataset.axes = String(view.parameters.length + 1);
    },
    highlight() {},
    onPointClick(callback) { click = callback; },
    resize() {},
    dispose() {},
  };
}
