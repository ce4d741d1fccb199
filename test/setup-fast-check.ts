import fc from 'fast-check';

// Property tests draw new cases on every developer run, which is how they find bugs. CI sets
// FC_SEED so that a run on a given commit draws the same cases and its verdict is repeatable.
const seed = process.env.FC_SEED;
if (seed !== undefined && seed !== '') fc.configureGlobal({ seed: Number(seed) });
