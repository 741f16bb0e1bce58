// Progressive enhancement for /people: changing a filter select or checkbox submits the search form.
// The page works the same without this file (facets are plain links, the form has its own button).
document.addEventListener('DOMContentLoaded', function () {
  // On a narrow screen the facets start folded, so the result comes first.
  var facets = document.querySelector('details[data-facets]');
  if (facets && window.matchMedia('(max-width: 900px)').matches) facets.open = false;
  var form = document.querySelector('form[data-search-form]');
  if (!form) return;
  form.querySelectorAll('select, input[type=checkbox]').forEach(function (el) {
    el.addEventListener('change', function () { form.submit(); });
  });
});
