// The little the pages need a browser API for. Delegated from the document, so it also serves pages that enhanced
// navigation brings in without a reload.
(() => {
  // Lists the files chosen for upload with their sizes, and says which pass the cap, before anything is sent.
  document.addEventListener('change', (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== 'file' || !input.dataset.sizeList) return;
    const list = document.getElementById(input.dataset.sizeList);
    if (!list) return;
    const cap = Number(input.dataset.cap);
    const max = Number(input.dataset.max);
    list.replaceChildren();
    const units = (list.dataset.units || 'B,KB,MB').split(',');
    const size = (n) => n < 1024 ? `${n} ${units[0]}` : n < 1048576 ? `${(n / 1024).toFixed(1)} ${units[1]}` : `${(n / 1048576).toFixed(1)} ${units[2]}`;
    Array.from(input.files || []).forEach((file, i) => {
      const item = document.createElement('li');
      item.textContent = `${file.name} (${size(file.size)})`;
      if (file.size > cap || i >= max) {
        item.className = 'too-large';
        item.textContent += ` ${file.size > cap ? list.dataset.tooLarge : list.dataset.tooMany}`;
      }
      list.appendChild(item);
    });
  });
  // A print button prints the page (the invoice's own layout is its print stylesheet).
  document.addEventListener('click', (event) => {
    if (event.target instanceof Element && event.target.closest('[data-print]')) window.print();
  });
})();
