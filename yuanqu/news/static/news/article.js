// Article page: count the view with a beacon (so cached pages still count) and copy the link.
(function () {
  var article = document.querySelector("[data-article]");
  if (article && !document.querySelector('meta[name="robots"][content="noindex"]')) {
    var url = "/news/" + article.getAttribute("data-article") + "/view";
    if (navigator.sendBeacon) { navigator.sendBeacon(url); }
    else { fetch(url, { method: "POST", keepalive: true, credentials: "same-origin" }); }
  }
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    button.addEventListener("click", function () {
      var input = document.getElementById(button.getAttribute("data-copy-target"));
      var status = document.querySelector("[data-copy-status]");
      var done = function () { if (status) { status.textContent = status.getAttribute("data-copy-status"); } };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done);
      } else { input.select(); document.execCommand("copy"); done(); }
    });
  });
})();
