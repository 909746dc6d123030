// Reference numbers for bench/README.md: @tak-ps/node-cot handling the same self-SA event as ../TakCan.Bench.
// Usage: npm run bench [-- <seconds per round>]
import fs from 'node:fs';
import os from 'node:os';
import { CoTParser } from '@tak-ps/node-cot';

const here = new URL('.', import.meta.url);
// Bytes in, event out, as CotXmlReader.Read(ReadOnlySpan<byte>) is measured.
const xml = fs.readFileSync(new URL('../TakCan.Bench/self-sa.xml', here));
// What TakMessageConverter.ToTakMessage writes for self-sa.xml (`dotnet run ... -- --write-proto`), so both
// libraries decode the same TakMessage bytes.
const takMessage = new Uint8Array(fs.readFileSync(new URL('../TakCan.Bench/self-sa.pb', here)));

const secondsPerRound = Number(process.argv[2] ?? 2);
const rounds = 5;

// Runs fn in batches until the round's time is up; the sink keeps V8 from dropping the work.
async function measure(name, fn) {
    let sink = 0;
    const rate = async (seconds) => {
        const end = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
        const start = process.hrtime.bigint();
        let n = 0;
        let now = start;
        while (now < end) {
            for (let i = 0; i < 1000; i++) sink += await fn();
            n += 1000;
            now = process.hrtime.bigint();
        }
        return n / (Number(now - start) / 1e9);
    };

    await rate(secondsPerRound); // warm-up: let V8 optimise before measuring
    const rates = [];
    for (let r = 0; r < rounds; r++) rates.push(await rate(secondsPerRound));
    rates.sort((a, b) => a - b);
    const median = rates[Math.floor(rates.length / 2)];
    console.log(`${name.padEnd(34)} ${Math.round(median).toLocaleString('en-US').padStart(10)} events/s ` +
        `(${(1e9 / median).toFixed(0)} ns/event; rounds ${rates.map((x) => Math.round(x)).join(' ')}) [${sink > 0 ? 'ok' : '?'}]`);
    return median;
}

const sample = CoTParser.from_xml(xml);
console.log(`node ${process.version}, @tak-ps/node-cot ${JSON.parse(fs.readFileSync(new URL('node_modules/@tak-ps/node-cot/package.json', here))).version}, ` +
    `${os.cpus()[0].model}, ${os.cpus().length} cpus, ${rounds} rounds of ${secondsPerRound} s, median shown`);
console.log(`self-sa.xml ${xml.length} bytes, self-sa.pb ${takMessage.length} bytes, uid ${sample.uid()}, callsign ${sample.callsign()}`);

await measure('from_xml   (XML bytes -> CoT)', () => CoTParser.from_xml(xml).raw.event._attributes.uid.length);
await measure('to_xml     (CoT -> XML string)', () => CoTParser.to_xml(sample).length);
await measure('to_proto   (CoT -> TakMessage)', async () => (await CoTParser.to_proto(sample)).length);
await measure('from_proto (TakMessage -> CoT)', async () => (await CoTParser.from_proto(takMessage)).raw.event._attributes.uid.length);
