//! Vietnamese working-day calendar (lunar calendar, statutory holidays, yearly notices,
//! deadline arithmetic). Being built in issue 4.
