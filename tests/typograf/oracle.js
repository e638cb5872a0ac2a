// The reference typographer as a test oracle: a JSON array of strings on stdin, the array
// typographed by Typograf's Russian rules on stdout. Run only by tests/test_typograph_oracle.py.
//
// The configuration is the one docs/typography.md describes: locale ru (with en-US letters,
// as Typograf recommends for Russian text), the default rule set plus digit grouping, minus the
// rules listed in DISABLED (each with its reason in the docs). The fragments Vestnik keeps
// verbatim (e-mails, @mentions, #hashtags, domains, inline code) are Typograf safe tags too, so
// the comparison is about typography, not about what either side protects.
'use strict';

const Typograf = require('typograf');

const ENABLED = ['common/number/digitGrouping'];
const DISABLED = [
    'ru/other/phone-number',
];
const SAFE = [
    /`[^`\n]+`/g,
    /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g,
    /(?<![\w@])@[A-Za-z0-9_]{3,32}/g,
    /(?<![\w#&])#[\p{L}\p{N}_]+/gu,
    /(?<![\w@.-])(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:kz|ru|com|org|net|рф|io|gov|info)(?:\/[^\s«»"]*[^\s«»".,;:!?)])?(?![\w-])/gi,
];

function typograf() {
    const tp = new Typograf({locale: ['ru', 'en-US'], enableRule: ENABLED, disableRule: DISABLED});
    SAFE.forEach((re) => tp.addSafeTag(re));
    return tp;
}

function main() {
    const chunks = [];
    process.stdin.on('data', (chunk) => chunks.push(chunk));
    process.stdin.on('end', () => {
        const texts = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const tp = typograf();
        process.stdout.write(JSON.stringify(texts.map((text) => tp.execute(text))));
    });
}

main();
