"""The official SDK doing bench/runway's first job: N tasks, K in flight, download each output.
Prints the SDK process's CPU per task, for context beside the runner's."""
import base64, concurrent.futures, os, resource, sys, time, urllib.request

from runwayml import RunwayML

folder, in_flight, frames = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
os.makedirs(folder, exist_ok=True)
client = RunwayML()
start_cpu = resource.getrusage(resource.RUSAGE_SELF)
start = time.perf_counter()

def one(frame: str) -> None:
    with open(frame, "rb") as handle:
        uri = "data:image/jpeg;base64," + base64.b64encode(handle.read()).decode()
    task = client.image_to_video.create(model="gen4_turbo", prompt_image=uri, ratio="1280:720", duration=5,
                                        prompt_text="bench").wait_for_task_output()
    urllib.request.urlretrieve(task.output[0], os.path.join(folder, os.path.basename(frame) + ".mp4"))

with concurrent.futures.ThreadPoolExecutor(in_flight) as pool:
    list(pool.map(one, frames))
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu = (usage.ru_utime - start_cpu.ru_utime) + (usage.ru_stime - start_cpu.ru_stime)
print(f"official Python SDK: {len(frames)} clips, {time.perf_counter() - start:.2f} s, client CPU {cpu * 1000 / len(frames):.2f} ms per clip")
