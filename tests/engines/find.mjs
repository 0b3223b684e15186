// Runs in the page (both engines): finds one visible element by its role and accessible
// name, as a user (or a screen reader) would name it: a form control by its label, a button
// or link by its text, a heading by its text. Deliberately small: the names Senco Desk uses
// come from <label for>, aria-label, aria-labelledby and text content.
//
// spec: { role, name, exact = true, level, within: spec, hidden = false }
//   role: 'heading' | 'button' | 'link' | 'label' (a form control) | 'checkbox' | 'text'
//         | 'navigation' | 'table' | 'testid' | 'css'
//   name: a string, or { re, flags } for a regular expression (then `exact` is ignored).
// Returns the element, or null.
export function find(spec) {
  const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const textOf = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return node.textContent;
    if (node.nodeType !== Node.ELEMENT_NODE) return '';
    if (node.getAttribute('aria-hidden') === 'true') return '';
    const style = getComputedStyle(node);
    if (style.display === 'none') return '';
    if (node.tagName === 'INPUT' && ['button', 'submit'].includes(node.type)) return node.value;
    return Array.from(node.childNodes).map(textOf).join('');
  };
  const byIds = (ids) => ids.split(/\s+/).map((id) => document.getElementById(id)).filter(Boolean)
    .map((e) => norm(e.textContent)).join(' ');
  const nameOf = (el) => {
    if (el.hasAttribute('aria-labelledby')) return norm(byIds(el.getAttribute('aria-labelledby')));
    if (el.hasAttribute('aria-label')) return norm(el.getAttribute('aria-label'));
    if (el.labels && el.labels.length) return norm(Array.from(el.labels).map(textOf).join(' '));
    if (el.tagName === 'TABLE') {
      const caption = el.querySelector('caption');
      return caption ? norm(textOf(caption)) : '';
    }
    return norm(textOf(el));
  };
  const matches = (name, want, exact) => {
    if (want && typeof want === 'object') return new RegExp(want.re, want.flags || '').test(name);
    return exact === false ? name.includes(want) : name === want;
  };
  const visible = (el) => {
    if (!el.getClientRects().length) return false;
    return getComputedStyle(el).visibility !== 'hidden';
  };
  const selectors = {
    heading: 'h1,h2,h3,h4,h5,h6,[role=heading]',
    button: 'button,input[type=button],input[type=submit],[role=button]',
    link: 'a[href],[role=link]',
    label: 'input,select,textarea',
    checkbox: 'input[type=checkbox],[role=checkbox]',
    navigation: 'nav,[role=navigation]',
    table: 'table,[role=table]',
  };
  const search = (root, s) => {
    if (s.role === 'testid') return root.querySelector(`[data-testid="${s.name}"]`);
    if (s.role === 'css') return root.querySelector(s.name);
    let candidates;
    if (s.role === 'text') {
      // The innermost elements whose text matches.
      const all = Array.from(root.querySelectorAll('body *')).filter(
        (el) => !['SCRIPT', 'STYLE'].includes(el.tagName) && matches(norm(textOf(el)), s.name, s.exact),
      );
      candidates = all.filter((el) => !all.some((other) => other !== el && el.contains(other)));
    } else {
      candidates = Array.from(root.querySelectorAll(selectors[s.role])).filter((el) => {
        if (s.level && el.tagName !== `H${s.level}`) return false;
        return matches(nameOf(el), s.name, s.exact);
      });
    }
    return candidates.find((el) => s.hidden || visible(el)) || null;
  };
  const root = spec.within ? find(spec.within) : document;
  return root ? search(root, spec) : null;
}
