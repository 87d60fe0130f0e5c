// Admin rich-text editor: a contenteditable area mirrored into the real textarea.
// The server sanitises whatever is posted; this file only makes editing pleasant.
(function () {
  function setup(root) {
    var textarea = root.querySelector("textarea");
    var area = root.querySelector(".news-editor-area");
    var toolbar = root.querySelector(".news-editor-toolbar");
    var sourceMode = false;
    area.innerHTML = textarea.value;
    area.hidden = false;
    toolbar.hidden = false;
    textarea.hidden = true;
    function sync() { if (!sourceMode) { textarea.value = area.innerHTML; } }
    area.addEventListener("input", sync);
    area.addEventListener("blur", sync);
    var form = root.closest("form");
    if (form) { form.addEventListener("submit", sync); }
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-command]");
      if (!button) { return; }
      var command = button.getAttribute("data-command");
      if (command === "source") {
        sourceMode = !sourceMode;
        if (sourceMode) { textarea.value = area.innerHTML; } else { area.innerHTML = textarea.value; }
        textarea.hidden = !sourceMode;
        area.hidden = sourceMode;
        return;
      }
      area.focus();
      if (command === "createLink" || command === "insertImage") {
        var url = window.prompt(command === "createLink" ? "链接网址 (https://…)" : "图片网址 (https://…)");
        if (url) { document.execCommand(command, false, url); }
      } else if (command === "insertTable") {
        var rows = parseInt(window.prompt("行数", "3"), 10) || 3;
        var cols = parseInt(window.prompt("列数", "3"), 10) || 3;
        var html = "<table><tbody>";
        for (var r = 0; r < rows; r++) {
          html += "<tr>";
          for (var c = 0; c < cols; c++) { html += "<td>&nbsp;</td>"; }
          html += "</tr>";
        }
        document.execCommand("insertHTML", false, html + "</tbody></table><p></p>");
      } else {
        document.execCommand(command, false, button.getAttribute("data-value"));
      }
      sync();
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-editor]").forEach(setup);
  });
})();
