/* Thingwalla shortlist: being written (see compare.js for the conventions). */
