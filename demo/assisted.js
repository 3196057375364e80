// The demo's "assisted version": what a site's server would render from the help_session
// cookie, done here in script because the demo site is static files.
const notice = document.getElementById('assisted');

function show(conversationId) {
  notice.hidden = !conversationId;
  document.getElementById('conversation').textContent = conversationId ?? '';
}

show(document.cookie.match(/(?:^|;\s*)help_session=([^;]+)/)?.[1]);
// Without a reload (no refresh-on-help), the events say the same.
document.addEventListener('help-session-start', (event) => show(event.detail.conversationId));
document.addEventListener('help-session-end', () => show(undefined));
