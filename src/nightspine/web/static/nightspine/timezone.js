// Reminders page: offer the browser's own time zone when the person has not chosen one yet.
// Without JavaScript the field simply keeps its value (UTC until the person types a place).
(function () {
  var field = document.getElementById("in-time_zone");
  if (!field || field.dataset.chosen === "yes") { return; }
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) { field.value = zone; }
  } catch (e) { /* an old browser: leave the field as it is */ }
})();
