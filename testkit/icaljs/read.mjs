// Reads an iCalendar file on standard input with Mozilla's ical.js, as a calendar client
// does (registering the file's own VTIMEZONEs), and prints its events as JSON.
import ICAL from "ical.js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const root = new ICAL.Component(ICAL.parse(Buffer.concat(chunks).toString("utf8")));

for (const zone of root.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}

const instant = (time) => (time ? time.toJSDate().toISOString() : null);
const events = root.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  return {
    uid: event.uid,
    summary: event.summary,
    status: component.getFirstPropertyValue("status"),
    start: instant(event.startDate),
    end: instant(event.endDate),
    all_day: event.startDate.isDate,
    zone: event.startDate.zone ? event.startDate.zone.tzid : null,
    location: event.location,
    alarms: component.getAllSubcomponents("valarm").length,
  };
});
process.stdout.write(JSON.stringify(events));
