// Signed in, the storefront's panel saves with Voucherify's client keys for this customer (id or source id).
document.addEventListener('demo-session', (event) => {
  const panel = document.querySelector('#storefront-panel');
  if (panel && event.detail.signed_in) panel.setAttribute('customer', event.detail.customer.source_id);
});
