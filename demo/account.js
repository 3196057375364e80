// The demo's sign-in: whatever email and password "sign in" this tab; nothing leaves the browser.
const signIn = document.getElementById('sign-in');
const account = document.getElementById('account');

function show() {
  const who = sessionStorage.getItem('demo-account');
  signIn.hidden = who !== null;
  account.hidden = who === null;
  document.getElementById('who').textContent = who ?? '';
}

signIn.addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem('demo-account', new FormData(signIn).get('email'));
  show();
});
document.getElementById('sign-out').addEventListener('click', () => {
  sessionStorage.removeItem('demo-account');
  show();
});
show();
