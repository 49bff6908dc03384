// The join form shows only the questions for the chosen role (mentee, mentor or both).
(function () {
  function setUp(form) {
    function sync() {
      const role = (form.querySelector('input[name=role]:checked') || {}).value || '';
      const mentee = document.getElementById('mentee-questions');
      const mentor = document.getElementById('mentor-questions');
      if (mentee) mentee.hidden = !(role === 'mentee' || role === 'both' || role === '');
      if (mentor) mentor.hidden = !(role === 'mentor' || role === 'both');
    }
    form.addEventListener('change', sync);
    sync();
  }
  function start() {
    document.querySelectorAll('form[data-join-roles]').forEach(setUp);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
