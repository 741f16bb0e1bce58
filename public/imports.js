// Import wizard, progressive enhancement only: the pages work without this file.
document.addEventListener('DOMContentLoaded', function () {
  // The unknown-skill step: choosing an existing skill in a row's picker ticks that row's "existing skill".
  document.querySelectorAll('select[id^="skill_map_"]').forEach(function (select) {
    select.addEventListener('change', function () {
      var radio = document.getElementById(select.id.replace(/^skill_map_(\d+)$/, 'skill_$1_map'));
      if (radio && select.value) radio.checked = true;
    });
  });
  // Upload with a progress bar (the plain form posts the same data without it).
  var form = document.querySelector('form[data-upload-progress]');
  if (form && window.FormData && window.XMLHttpRequest) {
    form.addEventListener('submit', function (ev) {
      var input = form.querySelector('input[type=file]');
      if (!input || !input.files || !input.files.length) return;
      ev.preventDefault();
      var bar = form.querySelector('progress');
      var button = form.querySelector('button[type=submit]');
      if (bar) bar.hidden = false;
      if (button) button.disabled = true;
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.upload.addEventListener('progress', function (e) {
        if (bar && e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total);
      });
      xhr.addEventListener('load', function () {
        if (xhr.status >= 200 && xhr.status < 300 && xhr.responseURL && xhr.responseURL !== form.action) {
          window.location.assign(xhr.responseURL);
          return;
        }
        // an error page (file refused, too large): show it as the server rendered it
        document.open();
        document.write(xhr.responseText);
        document.close();
      });
      xhr.addEventListener('error', function () { form.submit(); });
      xhr.send(new FormData(form));
    });
  }
  // Background work: poll the status and move the bar; go on when it is done.
  var box = document.querySelector('[data-import-status]');
  if (box && window.fetch) {
    var bar2 = box.querySelector('progress');
    var poll = function () {
      fetch(box.getAttribute('data-import-status'), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          if (bar2) {
            var share = s.rowsExact && s.rowsTotal ? s.rows / s.rowsTotal : s.bytes / Math.max(1, s.total);
            bar2.max = 1000;
            bar2.value = Math.round(1000 * Math.min(1, share));
          }
          if (s.text) {
            var rowsEl = box.querySelector('[data-rows]');
            var leftEl = box.querySelector('[data-time-left]');
            if (rowsEl) rowsEl.textContent = s.text.rows;
            if (leftEl) leftEl.textContent = s.text.timeLeft;
          }
          if (s.status === 'running' || s.status === 'waiting') setTimeout(poll, 700);
          else window.location.assign(s.status === 'done' ? s.next : window.location.href);
        })
        .catch(function () { setTimeout(poll, 2000); });
    };
    setTimeout(poll, 500);
  }
});
