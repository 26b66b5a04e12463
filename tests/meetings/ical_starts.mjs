// Reads an iCalendar file on stdin with ical.js (the parser of Thunderbird and many web calendars)
// and prints every occurrence as JSON: [{uid, recurrence_id, start}], times in UTC.
// ical.js expands a series itself (RRULE, EXDATE, RECURRENCE-ID overrides) and reads times through
// the file's own VTIMEZONE, as a calendar app does. Run by tests/meetings/test_ical_parsers.py.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const utc = (time) => (time ? time.toJSDate().toISOString().replace(".000Z", "Z") : null);
const vevents = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8"))).getAllSubcomponents("vevent");
const overrides = vevents.filter((v) => v.hasProperty("recurrence-id"));
const masters = vevents.filter((v) => !v.hasProperty("recurrence-id"));
const series = new Set(masters.map((v) => v.getFirstPropertyValue("uid")));
const occurrences = [];

// An occurrence without its series (one meeting's event.ics) stands on its own, as in iTIP (RFC 5546).
for (const event of overrides.map((v) => new ICAL.Event(v)).filter((e) => !series.has(e.uid))) {
  occurrences.push({ uid: event.uid, recurrence_id: utc(event.recurrenceId), start: utc(event.startDate) });
}
for (const event of masters.map((v) => new ICAL.Event(v))) {
  if (!event.isRecurring()) {
    occurrences.push({ uid: event.uid, recurrence_id: null, start: utc(event.startDate) });
    continue;
  }
  for (const override of overrides.filter((v) => v.getFirstPropertyValue("uid") === event.uid)) {
    event.relateException(override);
  }
  const iterator = event.iterator();
  for (let next = iterator.next(), n = 0; next && n < 1000; next = iterator.next(), n++) {
    const details = event.getOccurrenceDetails(next);
    occurrences.push({ uid: event.uid, recurrence_id: utc(details.recurrenceId), start: utc(details.startDate) });
  }
}
process.stdout.write(JSON.stringify(occurrences));
