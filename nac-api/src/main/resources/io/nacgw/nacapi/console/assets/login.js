'use strict';
(function () {
  const form = document.getElementById('login-form');
  const error = document.getElementById('login-error');

  async function signIn(body) {
    error.textContent = '';
    let res;
    try {
      res = await fetch('/console/login', {
        method: 'POST', credentials: 'same-origin',
        headers: {'Content-Type': 'application/json', 'X-Nacgw-Console': '1'},
        body: JSON.stringify(body)
      });
    } catch (e) {
      error.textContent = 'The gateway did not answer.';
      return;
    }
    if (res.ok) {
      // the same URL now serves the console itself: load it again (a hash change alone would not)
      window.location.hash = 'overview';
      window.location.reload();
      return;
    }
    const answer = await res.json().catch(() => ({}));
    error.textContent = answer.error || ('Sign-in failed (' + res.status + ').');
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    signIn({user: form.user.value, password: form.password.value});
  });
  document.getElementById('sign-in-certificate').addEventListener('click', () => signIn({certificate: true}));
})();
