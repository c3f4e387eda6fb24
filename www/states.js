// states.html: each example's label shows its element's state, as pave-state reports it.
for (const pill of document.querySelectorAll('.pill[data-for]')) {
  const element = document.getElementById(pill.dataset.for);
  element.addEventListener('pave-state', (e) => {
    pill.textContent = e.detail.state;
    pill.dataset.state = e.detail.state;
  });
}
