// Skip logic in the browser: hide a question until the answer it depends on
// is chosen. The server applies the same rule whatever this script does.
(function () {
  "use strict";
  var form = document.querySelector("[data-survey-form]");
  if (!form) return;
  function chosen(questionId) {
    var inputs = form.querySelectorAll('[name="q' + questionId + '"]:checked');
    return Array.prototype.map.call(inputs, function (i) { return i.value; });
  }
  function update() {
    var visible = {};
    form.querySelectorAll("fieldset[data-question]").forEach(function (set) {
      var parent = set.getAttribute("data-relevant-question");
      var show = !parent || (visible[parent] &&
        chosen(parent).indexOf(set.getAttribute("data-relevant-value")) !== -1);
      visible[set.getAttribute("data-question")] = show;
      set.hidden = !show;
      set.removeAttribute("data-skipped");
    });
  }
  form.addEventListener("change", update);
  update();
})();
