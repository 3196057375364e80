// A tiny single-page app: route links use pushState; Back uses popstate.
const show = () => {
  const order = new URLSearchParams(location.search).get('order');
  document.getElementById('route').textContent = order
    ? `Order ${order}: on its way.`
    : 'Pick an order.';
};
document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[data-route]') : null;
  if (!link) return;
  event.preventDefault();
  history.pushState({}, '', link.getAttribute('href'));
  show();
});
addEventListener('popstate', show);
show();
