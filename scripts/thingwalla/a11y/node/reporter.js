'use strict';
// pa11y-ci reporter for thingwalla a11y: one JSON line per *requested* URL, appended to a file as each
// page finishes (pa11y-ci's own report is keyed by the final URL, so redirects can collapse pages).
// Progress goes to stderr as "TWPROGRESS <done>/<total> <url>" lines. Options: {fileName, total}.
const fs = require('fs');

let axeSc = null;
function axeCriteria() {
	// axe's rule tags name the success criteria ("wcag111" -> "1.1.1"); pa11y does not pass them on.
	if (axeSc === null) {
		axeSc = {};
		try {
			for (const rule of require('axe-core').getRules()) {
				axeSc[rule.ruleId] = rule.tags
					.filter(tag => /^wcag\d{3,4}$/.test(tag))
					.map(tag => `${tag[4]}.${tag[5]}.${tag.slice(6)}`);
			}
		} catch (error) {
			process.stderr.write(`TWWARN axe rule tags unavailable: ${error.message}\n`);
		}
	}
	return axeSc;
}

module.exports = function thingwallaReporter(options = {}) {
	const fileName = options.fileName;
	const total = options.total || 0;
	let done = 0;
	fs.writeFileSync(fileName, '');

	function record(entry) {
		fs.appendFileSync(fileName, JSON.stringify(entry) + '\n');
		done += 1;
		process.stderr.write(`TWPROGRESS ${done}/${total} ${entry.url}\n`);
	}

	return {
		results(results, config) {
			const criteria = axeCriteria();
			const issues = results.issues.map(issue => ({
				code: issue.code,
				type: issue.type,
				message: issue.message,
				selector: issue.selector,
				context: issue.context,
				runner: issue.runner,
				impact: (issue.runnerExtras || {}).impact || null,
				needsReview: Boolean((issue.runnerExtras || {}).needsFurtherReview),
				sc: issue.runner === 'axe' ? (criteria[issue.code] || []) : ((issue.runnerExtras || {}).sc || null)
			}));
			record({url: config.url, finalUrl: results.pageUrl, title: results.documentTitle, ok: true, issues});
		},
		error(error, url) {
			record({url, ok: false, error: String((error && error.message) || error)});
		}
	};
};
