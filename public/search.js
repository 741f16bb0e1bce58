// Progressive enhancement for /people: changing a filter select or checkbox submits the search form; "/" focuses
// the search box. The page works the same without this file (facets are plain links, the form has its button).
document.addEventListener('DOMContentLoaded', function () {
  // Wide screens show the filter panel and the facets open; narrow ones keep them folded, so the result comes first.
  var wide = window.matchMedia('(min-width: 901px)').matches;
  document.querySelectorAll('details[data-facets], details[data-filter-panel]').forEach(function (d) { d.open = wide; });
  var form = document.querySelector('form[data-search-form]');
  if (!form) return;
  form.querySelectorAll('select, input[type=checkbox]').forEach(function (el) {
    el.addEventListener('change', function () { form.submit(); });
  });
  var box = document.getElementById('q');
  document.addEventListener('keydown', function (e) {
    if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || !box) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    e.preventDefault();
    box.focus();
    box.select();
  });
});
