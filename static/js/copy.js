// Copy buttons: a <button data-copy-target="ID"> copies the text of the element with that id
// to the clipboard and says on itself, and to screen readers, that it did. The button stays
// hidden without this script, since it could do nothing. Static file: the Content Security
// Policy allows no inline script.
(function () {
  "use strict";

  var RESET_AFTER_MS = 4000;

  // Selects the element's text so the person can copy it by hand.
  function select(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  // Pages served over plain HTTP from another host have no navigator.clipboard: there, copy
  // the selection the old way.
  function write(text, element) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      select(element);
      if (document.execCommand && document.execCommand("copy")) {
        resolve();
      } else {
        reject(new Error("copy is not available"));
      }
    });
  }

  function show(button, state) {
    var label = state === "copied" ? button.dataset.copiedLabel
      : state === "failed" ? button.dataset.failedLabel
      : button.dataset.idleLabel;
    if (state) {
      button.dataset.state = state;
    } else {
      delete button.dataset.state;
    }
    button.textContent = label;
    if (button.statusRegion) {
      button.statusRegion.textContent = state ? label : "";
    }
  }

  function enable(button) {
    var target = document.getElementById(button.dataset.copyTarget);
    if (!target) {
      return;
    }
    button.dataset.idleLabel = button.textContent;
    // A live region that exists before it changes, so that screen readers announce the change.
    var region = document.createElement("span");
    region.className = "visually-hidden";
    region.setAttribute("role", "status");
    button.insertAdjacentElement("afterend", region);
    button.statusRegion = region;
    var timer = null;
    button.addEventListener("click", function () {
      clearTimeout(timer);
      write(target.textContent.trim(), target).then(function () {
        show(button, "copied");
      }, function () {
        select(target);
        show(button, "failed");
      }).then(function () {
        timer = setTimeout(function () { show(button, null); }, RESET_AFTER_MS);
      });
    });
    button.hidden = false;
  }

  document.querySelectorAll("button[data-copy-target]").forEach(enable);
})();
