"""Prints a valid manifest with N stages: frames, generate and merge stages in chains, one publish."""
import sys

if sys.argv[1:] == ["--alias-bomb"]:
    # "Billion laughs": each level holds nine aliases of the one before.
    print("version: 1\nname: bomb\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]")
    previous = "a"
    for name in "bcdefghi":
        print(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = name
    print("stages: {}")
    sys.exit(0)

if sys.argv[1:] == ["--duplicate-keys"]:
    # Issue #12: just under the 4 MiB limit, the first 50 variables written again after 55,000 others. A loader that
    # composed again for each repeat took about 50 s; one parse finds them all.
    limit, first, others = 4 * 1024 * 1024 - 1024, 50, 55_000
    head = "version: 1\nname: duplicates\nvars:\n"
    tail = "stages:\n  frames: { type: frames, from: ./frames/ }\n"
    keys = [f"key-{index}" for index in range(first)] + [f"other-{index}" for index in range(others)] + \
           [f"key-{index}" for index in range(first)]
    fixed = len(head) + len(tail) + sum(len(f"  {key}: \n") for key in keys)
    width = (limit - fixed) // len(keys)
    sys.stdout.write(head)
    for key in keys:
        sys.stdout.write(f"  {key}: {(key + '-' + 'v' * width)[:width]}\n")
    sys.stdout.write(tail)
    sys.exit(0)

count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
groups = max(1, (count - 2) // 2)
print("version: 1\nname: generated\nvars:\n  user: bench\nproviders:\n  draft: { type: kenburns }\nstages:")
merges = []
for index in range(groups):
    print(f"  frames-{index}:\n    type: frames\n    from: ./frames/{index}/")
    print(f"  clips-{index}:\n    type: generate\n    needs: [frames-{index}]\n    provider: draft\n"
          f"    ratio: \"1280:720\"\n    duration: 5\n    prompt: Clip {index} for ${{vars.user}}\n"
          f"    to: ./out/${{vars.user}}/clips-{index}/")
    merges.append(f"clips-{index}")
print("  film:\n    type: merge\n    needs: [" + ", ".join(merges) + "]")
print("  publish:\n    type: publish\n    needs: [film]\n    to: ./out/generated.mp4")
