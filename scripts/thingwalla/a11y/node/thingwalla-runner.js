'use strict';
// Thingwalla's own checks, as a pa11y runner: it runs inside the page next to axe and reports issues
// for success criteria axe's default rules miss (see a11y-feasibility.md, "By success criterion").
// Every issue names its criteria in runnerExtras.sc. Codes: thingwalla.<check>.
//   label-in-name      2.5.3  a control's visible text is not part of its aria-label(ledby) name
//   orientation-lock   1.3.4  an orientation media query rotates <html>/<body> by 90 or 270 degrees
//   meta-viewport      1.4.4  <meta name=viewport> forbids zooming (user-scalable=no, maximum-scale < 2)
//   autoplay-audio     1.4.2  media plays sound on its own for more than 3 s with no way to stop it
// The function is stringified by pa11y and run in the page: it must not use anything from this file.

const run = async () => {
	const issues = [];
	const add = (check, sc, element, message) => issues.push({
		code: `thingwalla.${check}`,
		type: 'error',
		message,
		element,
		runnerExtras: {sc}
	});
	const norm = text => (text || '').normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
	const rendered = element => {
		const style = window.getComputedStyle(element);
		return style.display !== 'none' && style.visibility !== 'hidden' && element.getClientRects().length > 0;
	};

	// 2.5.3 Label in name -------------------------------------------------------------------------------
	const NAME_FROM_CONTENT = ['button', 'checkbox', 'gridcell', 'link', 'menuitem', 'menuitemcheckbox',
		'menuitemradio', 'option', 'radio', 'switch', 'tab', 'treeitem'];
	const roleOf = element => {
		const explicit = (element.getAttribute('role') || '').trim().split(/\s+/)[0];
		if (explicit) {
			return explicit;
		}
		const tag = element.localName;
		if (tag === 'a' || tag === 'area') {
			return element.hasAttribute('href') ? 'link' : '';
		}
		if (tag === 'button' || tag === 'summary') {
			return 'button';
		}
		return '';
	};
	const clippedAway = (node, stop) => {
		// The "visually hidden" patterns: a box of 1px or less that hides its overflow, clip-path: inset(50%),
		// or an absolutely positioned box clipped to rect(0 0 0 0). The text inside still has its full size.
		for (let el = node; el && el !== stop.parentElement; el = el.parentElement) {
			const style = window.getComputedStyle(el);
			const box = el.getBoundingClientRect();
			if (style.overflowX !== 'visible' && style.overflowY !== 'visible' && (box.width <= 1 || box.height <= 1)) {
				return true;
			}
			const inset = style.clipPath.match(/^inset\(\s*([\d.]+)%/);
			if (inset && parseFloat(inset[1]) >= 50) {
				return true;
			}
			const rect = style.clip.match(/^rect\(([^)]*)\)/);
			if (rect && ['absolute', 'fixed'].includes(style.position)) {
				const [top, right, bottom, left] = rect[1].split(/[\s,]+/).map(v => parseFloat(v) || 0);
				if (right - left <= 1 || bottom - top <= 1) {
					return true;
				}
			}
		}
		return false;
	};
	const visibleText = element => {
		// Text a sighted user sees: rendered, larger than the 1px "visually hidden" pattern, not an icon font.
		let text = '';
		const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
		for (let node = walker.currentNode; node; node = walker.nextNode()) {
			if (node.nodeType === Node.ELEMENT_NODE) {
				if (node !== element && ['br', 'div', 'p', 'li'].includes(node.localName)) {
					text += ' ';
				}
				continue;
			}
			const parent = node.parentElement;
			if (!parent || !rendered(parent)) {
				continue;
			}
			const range = document.createRange();
			range.selectNodeContents(node);
			const rect = range.getBoundingClientRect();
			const style = window.getComputedStyle(parent);
			if (rect.width <= 1 || rect.height <= 1 || /icon/i.test(style.fontFamily) || clippedAway(parent, element)) {
				continue;
			}
			text += node.textContent;
		}
		// Text in parentheses (formats, hints) and punctuation at the ends may be left out of the name.
		return norm(text.replace(/\([^)]*\)/g, ' ')).replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '');
	};
	const accessibleName = element => {
		const ids = (element.getAttribute('aria-labelledby') || '').trim();
		if (ids) {
			const parts = ids.split(/\s+/).map(id => document.getElementById(id)).filter(Boolean);
			if (parts.length) {
				return norm(parts.map(part => part.textContent).join(' '));
			}
		}
		return norm(element.getAttribute('aria-label'));
	};
	for (const element of document.querySelectorAll('[aria-label], [aria-labelledby]')) {
		if (!NAME_FROM_CONTENT.includes(roleOf(element)) || !rendered(element)) {
			continue;
		}
		const text = visibleText(element);
		const name = accessibleName(element);
		if (text.replace(/[\s\p{P}\p{S}]/gu, '').length < 2 || !name) {
			continue; // no visible text to speak, or a single symbol such as "X"
		}
		// Punctuation does not count (WCAG's understanding of 2.5.3): "Ren side, last inn" contains "Ren side".
		const words = value => value.replace(/[\s\p{P}]+/gu, ' ').trim();
		if (!` ${words(name)} `.includes(` ${words(text)} `)) {
			add('label-in-name', ['2.5.3'], element,
				`The accessible name "${name}" does not contain the visible label "${text}", so speech users ` +
				'cannot say what they see. Start the aria-label with the visible text, or remove it.');
		}
	}

	// 1.3.4 Orientation -----------------------------------------------------------------------------------
	const probe = document.createElement('div');
	const angleOf = (transform, rotate) => {
		// Rotation about the screen axis, in degrees, from a transform and/or the rotate property.
		probe.style.transform = transform || 'none';
		probe.style.rotate = rotate || 'none';
		document.body.appendChild(probe);
		const style = window.getComputedStyle(probe);
		let angle = 0;
		const matrix = style.transform.match(/^matrix(3d)?\(([^)]*)\)/);
		if (matrix) {
			const m = matrix[2].split(',').map(Number);
			angle += Math.atan2(m[1], m[0]) * 180 / Math.PI;
		}
		const turned = style.rotate && style.rotate !== 'none' ? style.rotate.trim().split(/\s+/) : [];
		if (turned.length === 1 || (turned.length === 2 && turned[0] === 'z')) {
			angle += parseFloat(turned[turned.length - 1]) || 0;
		}
		probe.remove();
		return angle;
	};
	const mediaRules = [];
	const collect = rules => {
		for (const rule of rules) {
			if (rule instanceof CSSMediaRule) {
				if (/orientation\s*:\s*(portrait|landscape)/i.test(rule.conditionText || rule.media.mediaText)) {
					mediaRules.push(...rule.cssRules);
				} else {
					collect(rule.cssRules);
				}
			}
		}
	};
	for (const sheet of document.styleSheets) {
		try {
			collect(sheet.cssRules);
		} catch {
			// a cross-origin stylesheet cannot be read
		}
	}
	const roots = [document.documentElement, document.body].filter(el => el && rendered(el));
	let orientationFlagged = false;
	for (const rule of mediaRules) {
		if (orientationFlagged || !(rule instanceof CSSStyleRule)) {
			continue;
		}
		const target = roots.find(el => {
			try {
				return el.matches(rule.selectorText);
			} catch {
				return false;
			}
		});
		if (!target || (!rule.style.transform && !rule.style.rotate)) {
			continue;
		}
		const angle = Math.abs(angleOf(rule.style.transform, rule.style.rotate)) % 180;
		if (Math.abs(angle - 90) < 1) {
			orientationFlagged = true;
			add('orientation-lock', ['1.3.4'], target,
				`A stylesheet rotates the page by 90 degrees in one orientation (${rule.cssText.slice(0, 120)}), ` +
				'which locks the content to a single display orientation.');
		}
	}

	// 1.4.4 Resize text: zoom must not be disabled -----------------------------------------------------
	for (const meta of document.querySelectorAll('meta[name="viewport" i][content]')) {
		const settings = {};
		for (const part of meta.getAttribute('content').split(/[,;]/)) {
			const [key, value = ''] = part.split('=').map(s => s.trim().toLowerCase());
			settings[key] = value;
		}
		const scalable = settings['user-scalable'];
		const maximum = parseFloat(settings['maximum-scale']);
		const noZoom = scalable !== undefined && !['yes', 'device-width', 'device-height'].includes(scalable) &&
			!(parseFloat(scalable) >= 1 || parseFloat(scalable) <= -1);
		if (noZoom || (maximum >= 0 && maximum < 2)) {
			add('meta-viewport', ['1.4.4'], meta,
				`The viewport setting "${meta.getAttribute('content')}" stops users from zooming to 200%. ` +
				'Remove user-scalable=no and any maximum-scale below 2.');
		}
	}

	// 1.4.2 Audio control --------------------------------------------------------------------------------
	const hasStopControl = () => [...document.querySelectorAll('button, [role="button"], input[type="button"]')]
		.some(el => /pause|stop|mute|pause|stopp|demp|lyd av/i.test(`${el.textContent} ${el.value || ''} ${el.getAttribute('aria-label') || ''}`));
	const waitMetadata = media => media.readyState >= 1 ? Promise.resolve() : new Promise(resolve => {
		media.addEventListener('loadedmetadata', resolve, {once: true});
		media.addEventListener('error', resolve, {once: true});
		setTimeout(resolve, 3000);
	});
	for (const media of document.querySelectorAll('audio[autoplay], video[autoplay]')) {
		if (media.muted || media.hasAttribute('muted') || media.hasAttribute('controls') || hasStopControl()) {
			continue;
		}
		await waitMetadata(media);
		let length = media.duration;
		const fragment = (media.currentSrc || '').match(/#t=([\d.]*)(?:,([\d.]+))?/);
		if (fragment) {
			const start = parseFloat(fragment[1]) || 0;
			length = (fragment[2] ? parseFloat(fragment[2]) : length) - start;
		}
		if (Number.isFinite(length) && length > 3) {
			add('autoplay-audio', ['1.4.2'], media,
				`This ${media.localName} starts playing by itself for ${Math.round(length)} s and has no control ` +
				'to pause, stop or mute it. Add the controls attribute, or do not autoplay.');
		}
	}
	return issues;
};

module.exports = {
	run,
	scripts: [],
	supports: '^9.0.0'
};
