// Progressive enhancement for /people: changing a filter select or checkbox submits the search form.
// The page works the same without this file (facets are plain links, the form has its own button).
document.addEventListener('DOMContentLoaded', function () {
  var form = document.querySelector('form[data-search-form]');
  if (!form) return;
  form.querySelectorAll('select, input[type=checkbox]').forEach(function (el) {
    el.addEventListener('change', function () { form.submit(); });
  });
});
