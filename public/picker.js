// Type-ahead for pickers (views/partials/picker.ejs): the list under a search box follows the typing, from
// /pickers/<kind>?q=… (JSON). Progressive enhancement only: without this file the Find button runs the same search.
(function () {
  'use strict';
  function setup(box) {
    var input = box.querySelector('[data-picker-input]');
    var select = box.querySelector('[data-picker-select]');
    var status = box.querySelector('[data-picker-status]');
    var find = box.querySelector('[data-picker-find]');
    if (!input || !select || !status || !window.fetch || !window.skillnetTypeahead) return;
    if (find) find.hidden = true;
    var endpoint = box.getAttribute('data-picker');
    var org = box.getAttribute('data-picker-org');
    function option(value, text) {
      var o = document.createElement('option');
      o.value = value;
      o.textContent = text;
      return o;
    }

    function render(answer) {
      var chosen = select.value;
      var chosenOption = chosen ? select.querySelector('option[value="' + chosen + '"]') : null;
      var blank = select.options[0] && select.options[0].value === '' ? select.options[0].cloneNode(true) : null;
      while (select.firstChild) select.removeChild(select.firstChild);
      if (blank) select.appendChild(blank);
      var seen = {};
      if (chosenOption) {
        select.appendChild(chosenOption);
        seen[chosen] = true;
      }
      answer.options.forEach(function (o) {
        if (seen[o.id]) return;
        var hint = o.hint || o.via; // /pickers/skills names the other name that matched as `via`
        select.appendChild(option(String(o.id), hint ? o.label + ' (' + hint + ')' : o.label));
      });
      select.value = chosenOption ? chosen : '';
      status.textContent = answer.status || '';
    }

    var search = window.skillnetTypeahead(input, function (q) {
      return endpoint + '?q=' + encodeURIComponent(q) + (org ? '&org=' + encodeURIComponent(org) : '');
    }, render, function () { /* the Find button is back as the way to search */ if (find) find.hidden = false; });

    input.addEventListener('keydown', function (ev) {
      // Enter searches now and moves to the list, instead of sending the whole form
      if (ev.key !== 'Enter') return;
      ev.preventDefault();
      search();
      select.focus();
    });
  }
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-picker]').forEach(setup);
  });
})();
