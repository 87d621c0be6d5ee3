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

// Time-left badges count down between reloads: each carries its due instant and its words (data-left, data-late, and
// the minutes and hours-and-minutes forms), and turns red once the deadline passes (as the SLA engine then says).
(() => {
  const tick = () => {
    const now = Date.now();
    document.querySelectorAll('.time-left[data-due]').forEach((badge) => {
      const due = Date.parse(badge.dataset.due);
      if (Number.isNaN(due)) return;
      const left = due - now;
      const minutes = Math.ceil(Math.abs(left) / 60000);
      const [short, long] = (badge.dataset.units || '{m} min|{h} h {m} min').split('|');
      const duration = minutes < 60
        ? short.replace('{m}', String(minutes))
        : long.replace('{h}', String(Math.floor(minutes / 60))).replace('{m}', String(minutes % 60).padStart(2, '0'));
      const text = badge.querySelector('.text');
      if (text) text.textContent = (left > 0 ? badge.dataset.left : badge.dataset.late).replace('{0}', duration);
      if (left <= 0 && !badge.classList.contains('breached')) {
        badge.classList.remove('running', 'warning');
        badge.classList.add('breached');
      }
    });
  };
  setInterval(tick, 30000);
})();

// A running timer counts on the page between the server's answers (the server's count is the one that is recorded).
(() => {
  const show = () => {
    document.querySelectorAll('.timer-clock[data-running="true"]').forEach((clock) => {
      clock.dataset.shownSince ??= String(Date.now());
      const seconds = Number(clock.dataset.elapsed) + Math.floor((Date.now() - Number(clock.dataset.shownSince)) / 1000);
      const h = Math.floor(seconds / 3600);
      const m = String(Math.floor((seconds % 3600) / 60)).padStart(2, '0');
      const s = String(seconds % 60).padStart(2, '0');
      clock.textContent = h > 0 ? `${h}:${m}:${s}` : `${m}:${s}`;
    });
  };
  setInterval(show, 1000);
})();

// The desk's keyboard: j/k move through the queue, Enter opens the current ticket, r and n start a reply or an
// internal note, t starts, pauses or resumes the timer, / goes to the search, ? lists them. Keys typed into a field are the field's.
(() => {
  const typing = (el) => el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
  const rows = () => Array.from(document.querySelectorAll('table[data-queue] tbody tr'));
  const move = (step) => {
    const all = rows();
    if (all.length === 0) return;
    const current = all.findIndex((r) => r.classList.contains('current'));
    const next = current < 0 ? 0 : Math.min(all.length - 1, Math.max(0, current + step));
    all.forEach((r) => { r.classList.remove('current'); r.removeAttribute('aria-current'); });
    all[next].classList.add('current');
    all[next].setAttribute('aria-current', 'true');
    const link = all[next].querySelector('a[href]');
    if (link) link.focus();
  };
  const compose = (kind) => {
    const box = document.getElementById('compose-body');
    if (!box) return false;
    box.dataset.kind = kind;
    box.focus();
    document.querySelectorAll('.compose button[data-key]').forEach((b) => b.classList.toggle('chosen', b.dataset.key === kind));
    return true;
  };
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) {
      if (event.key === 'Escape' && event.target instanceof HTMLElement) event.target.blur();
      return;
    }
    const dialog = document.getElementById('shortcuts');
    switch (event.key) {
      case 'j': move(1); break;
      case 'k': move(-1); break;
      case 'Enter': {
        const current = document.querySelector('table[data-queue] tbody tr.current a[href]');
        if (!current || document.activeElement === current) return; // the focused link opens itself
        current.click();
        break;
      }
      case 'r': if (!compose('r')) return; break;
      case 'n': if (!compose('n')) return; break;
      case 't': {
        const timer = document.querySelector('.timer button[data-key="t"]');
        if (!(timer instanceof HTMLButtonElement)) return;
        timer.click();
        break;
      }
      case '/': {
        const search = document.querySelector('input[type=search]');
        if (!search) return;
        search.focus();
        break;
      }
      case '?': if (dialog instanceof HTMLDialogElement) dialog.showModal(); else return; break;
      default: return;
    }
    event.preventDefault();
  });
  // Ctrl+Enter in the message box sends it as what the key chose: after r a reply, after n a note.
  document.addEventListener('keydown', (event) => {
    const box = event.target;
    if (!(box instanceof HTMLTextAreaElement) || box.id !== 'compose-body' || event.key !== 'Enter' || !event.ctrlKey) return;
    const button = document.querySelector(`.compose button[data-key="${box.dataset.kind || 'r'}"]`);
    if (button instanceof HTMLButtonElement) { event.preventDefault(); button.click(); }
  });
})();

// Live pages: a page marked data-live (a ticket's id, or "any" for a queue) listens to /live/tickets while it is open.
// The stream names only tickets the user may see (the web app asks the API as them first). When one the page shows
// changes, the page fetches itself again and swaps its live regions (data-live-region, by id), keeping what the user
// has ticked, chosen and focused in them. Nothing but the ticket's id comes over the stream.
(() => {
  let source = null;
  let pending = null;
  const marker = () => document.querySelector('[data-live]');
  const keep = (from, to) => {
    from.querySelectorAll('input[type=checkbox]').forEach((box) => {
      const twin = Array.from(to.querySelectorAll('input[type=checkbox]')).find((t) => t.name === box.name && t.value === box.value);
      if (twin) twin.checked = box.checked;
    });
    from.querySelectorAll('select[id], input[id]:not([type=checkbox]), textarea[id]').forEach((field) => {
      const twin = to.querySelector(`#${CSS.escape(field.id)}`);
      if (twin && 'value' in twin) twin.value = field.value;
    });
    const current = from.querySelector('tr.current');
    const twin = current && to.querySelector(`tr[data-ticket="${current.dataset.ticket}"]`);
    if (twin) { twin.classList.add('current'); twin.setAttribute('aria-current', 'true'); }
  };
  const refresh = async () => {
    pending = null;
    if (!marker()) return;
    const response = await fetch(location.href, { headers: { Accept: 'text/html' }, credentials: 'same-origin' });
    if (!response.ok || response.redirected) return;
    const fresh = new DOMParser().parseFromString(await response.text(), 'text/html');
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement.id : '';
    document.querySelectorAll('[data-live-region]').forEach((region) => {
      const next = fresh.getElementById(region.id);
      if (!next) return;
      const adopted = document.importNode(next, true);
      keep(region, adopted);
      region.replaceWith(adopted);
    });
    if (focused && !document.activeElement?.id) document.getElementById(focused)?.focus();
    document.documentElement.dataset.liveRefreshed = new Date().toISOString();
  };
  const connect = () => {
    if (!marker()) {
      source?.close();
      source = null;
      delete document.documentElement.dataset.liveConnected;
      return;
    }
    if (source) return;
    source = new EventSource('/live/tickets');
    source.addEventListener('ready', () => { document.documentElement.dataset.liveConnected = 'true'; });
    source.addEventListener('error', () => { delete document.documentElement.dataset.liveConnected; });
    source.addEventListener('ticket', (event) => {
      const wanted = marker()?.dataset.live;
      if (wanted === 'any' || wanted === event.data) pending ??= setTimeout(refresh, 50);
    });
  };
  connect();
  document.addEventListener('DOMContentLoaded', connect);
  window.addEventListener('load', () => window.Blazor?.addEventListener?.('enhancedload', connect));
})();
