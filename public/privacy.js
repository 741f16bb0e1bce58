// Stale-record review: a "select all on this page" box (shown only when this script runs).
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('input[data-select-all]').forEach(function (all) {
    var name = all.getAttribute('data-select-all');
    var boxes = all.form ? all.form.querySelectorAll('input[type=checkbox][name="' + name + '"]') : [];
    all.hidden = false;
    all.addEventListener('change', function () {
      boxes.forEach(function (b) { b.checked = all.checked; });
    });
  });
});
