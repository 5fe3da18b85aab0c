// The stage implementations (frames, generate, merge, publish) arrive with the engine issue;
// this module exists now so that the package's module map matches docs/architecture.md.
import Manifest
