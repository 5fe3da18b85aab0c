// The executor (graph walk, limits, checkpoints, events) arrives with the engine issue;
// this module exists now so that the package's module map matches docs/architecture.md.
import Stages
