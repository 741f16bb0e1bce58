// Skill entry (views/partials/skill-picker.ejs): typing in "Add a skill" lists matching skills from
// /pickers/skills?q=… (or the form's data-skill-source; any name, either language, aliases); choosing one adds its row in the page, so any number
// can be added before saving. Progressive enhancement only: without this file "Add" posts the form and the server
// does the same.
(function () {
  'use strict';
  function setup(box) {
    var input = box.querySelector('[data-skill-input]');
    var status = box.querySelector('[data-skill-status]');
    var rows = box.querySelector('[data-skill-rows]');
    var template = box.querySelector('template[data-skill-template]');
    var find = box.querySelector('[data-skill-find]');
    if (!input || !status || !rows || !template || !window.fetch || !window.skillnetTypeahead) return;
    if (find) find.hidden = true;
    var source = box.getAttribute('data-skill-source') || '/pickers/skills'; // the own link (/me/TOKEN) has its own
    var counter = 0;

    function chosen(id) {
      return Boolean(rows.querySelector('input[name="skill_id"][value="' + id + '"]'));
    }

    function addRow(option) {
      if (chosen(option.id)) return;
      var li = template.content.firstElementChild.cloneNode(true);
      var n = 'js' + (++counter);
      li.querySelector('input[name="skill_id"]').value = String(option.id);
      li.querySelector('.skill-name').textContent = option.label;
      var select = li.querySelector('select');
      select.id = 'skill_level_' + n;
      var label = li.querySelector('label');
      label.setAttribute('for', select.id);
      label.textContent = label.textContent + ': ' + option.label;
      li.querySelector('[data-skill-drop]').addEventListener('click', function () {
        li.remove();
        input.focus();
      });
      rows.appendChild(li);
      var none = box.querySelector('[data-skill-none]');
      if (none) none.hidden = true;
      input.value = '';
      while (status.firstChild) status.removeChild(status.firstChild);
      select.focus();
    }

    function show(answer) {
      while (status.firstChild) status.removeChild(status.firstChild);
      if (answer.status) {
        var p = document.createElement('p');
        p.textContent = answer.status;
        status.appendChild(p);
      }
      var list = document.createElement('ul');
      list.className = 'skill-matches';
      answer.options.forEach(function (o) {
        var li = document.createElement('li');
        var b = document.createElement('button');
        b.type = 'button';
        b.textContent = o.via ? o.label + ' (' + o.via + ')' : o.label;
        b.disabled = chosen(o.id);
        b.addEventListener('click', function () { addRow(o); });
        li.appendChild(b);
        list.appendChild(li);
      });
      if (answer.options.length) status.appendChild(list);
    }

    var search = window.skillnetTypeahead(input, function (q) {
      if (!q) { show({ options: [], status: '' }); return null; }
      return source + '?q=' + encodeURIComponent(q);
    }, show, function () { if (find) find.hidden = false; });

    input.addEventListener('keydown', function (ev) {
      if (ev.key !== 'Enter') return;
      ev.preventDefault();
      var first = status.querySelector('button:not([disabled])');
      if (first) first.click();
      else search();
    });
  }
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-skill-entry]').forEach(setup);
  });
})();
