// Pages that change on their own poll a small JSON address (data-poll on <body>):
// a submission's page shows its progress and reloads when the result is there;
// the office's pages reload when a submission or a collect run changes (data-version).
(function () {
  var body = document.body, url = body.getAttribute("data-poll");
  if (!url) { return; }
  var version = body.getAttribute("data-version");
  function tick() {
    fetch(url, {credentials: "same-origin", cache: "no-store"}).then(function (r) {
      if (r.status !== 200) { throw new Error(String(r.status)); }
      return r.json();
    }).then(function (s) {
      if (version !== null) {
        if (s.version !== version) { location.reload(); return; }
      } else if (s.state !== "queued" && s.state !== "running") {
        location.reload(); return;
      } else {
        var text = document.getElementById("progress-text"), bar = document.getElementById("progress-bar");
        if (text) { text.textContent = (s.text || "排队等待处理") + (s.total ? "：" + s.done + "/" + s.total : ""); }
        if (bar) { bar.max = s.total || 1; bar.value = s.done; }
      }
      setTimeout(tick, 1000);
    }).catch(function () { setTimeout(tick, 5000); });
  }
  setTimeout(tick, 1000);
})();
