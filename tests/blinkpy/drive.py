"""Drives the real blinkpy (from PyPI) against `blinktui sim`.

blinkpy talks to https://api.oauth.blink.com and https://rest-{tier}.immedia-semi.com; a
session that rewrites those hosts to the simulator's loopback address points it there without
touching blinkpy itself. Every step asserts what blinkpy then reports, so a gap in the
simulator fails this script with the step that found it.

Usage: drive.py SIM_URL EMAIL PASSWORD CODE WORKDIR
"""

import asyncio
import glob
import os
import sys
from urllib.parse import urlsplit, urlunsplit

import aiohttp
from blinkpy import api, sync_module
from blinkpy.auth import Auth, BlinkTwoFARequiredError
from blinkpy.blinkpy import Blink
from blinkpy.helpers.util import Throttle

BLINK_HOSTS = ("api.oauth.blink.com", ".immedia-semi.com")


class SimulatorSession(aiohttp.ClientSession):
    """Sends what blinkpy addresses to Blink's hosts to the simulator instead."""

    def __init__(self, sim_url, **kwargs):
        # The simulator is at an IP address, where aiohttp keeps no cookies unless told to.
        super().__init__(cookie_jar=aiohttp.CookieJar(unsafe=True), **kwargs)
        self._sim = urlsplit(sim_url)

    def _request(self, method, str_or_url, **kwargs):
        url = urlsplit(str(str_or_url))
        if url.hostname and (url.hostname == BLINK_HOSTS[0] or url.hostname.endswith(BLINK_HOSTS[1])):
            # Keep the query as blinkpy wrote it (a raw "+" in `since` included).
            str_or_url = aiohttp.client.URL(
                urlunsplit((self._sim.scheme, self._sim.netloc, url.path, url.query, "")), encoded=True
            )
        return super()._request(method, str_or_url, **kwargs)


def unthrottle():
    """blinkpy waits 2-5 s between some calls, 1 s between command polls and 3, 6, 12 s between
    polls of a USB manifest; the simulator needs no such pauses."""
    api.COMMAND_POLL_TIME = 0.1
    sync_module.backoff_seconds = lambda retry=0, default_time=1: 0.05
    for module in (api,):
        for value in vars(module).values():
            for cell in getattr(value, "__closure__", None) or ():
                if isinstance(cell.cell_contents, Throttle):
                    cell.cell_contents.throttle_time = 0
    refresh = Blink.refresh
    for cell in refresh.__closure__ or ():
        if isinstance(cell.cell_contents, Throttle):
            cell.cell_contents.throttle_time = 0


def check(condition, what):
    if not condition:
        raise SystemExit(f"FAILED: {what}")
    print(f"ok: {what}", flush=True)


async def wait_for(what, probe, blink, tries=20):
    """Refreshes until `probe()` holds (commands take a moment in the simulator)."""
    for _ in range(tries):
        await blink.refresh(force=True)
        if probe():
            print(f"ok: {what}", flush=True)
            return
        await asyncio.sleep(0.3)
    raise SystemExit(f"FAILED: {what}")


async def video_count(blink):
    return len(await blink.get_videos_metadata(since="1970/01/02 00:00", stop=50))


async def main(sim_url, email, password, code, workdir):
    unthrottle()
    session = SimulatorSession(sim_url)
    blink = Blink(session=session, refresh_rate=1, motion_interval=60)
    blink.auth = Auth({"username": email, "password": password}, no_prompt=True, session=session)

    # Login: OAuth with PKCE, then the second factor.
    try:
        await blink.start()
        raise SystemExit("FAILED: the simulator was started with --2fa but asked for no code")
    except BlinkTwoFARequiredError:
        print("ok: login asks for the second factor", flush=True)
    check(await blink.send_2fa_code(code), "2FA code accepted and setup finished")
    check(blink.available, "blinkpy is available after login")
    check(blink.auth.token and blink.auth.refresh_token, "tokens received")

    # Refresh and what it found.
    await blink.refresh(force=True)
    cameras = dict(blink.cameras)
    families = {}
    for name, camera in cameras.items():
        families.setdefault(camera.camera_type or "default", []).append(camera)
    print(f"   cameras: {sorted((n, c.camera_type or 'default') for n, c in cameras.items())}")
    check({"default", "mini", "doorbell"} <= set(families), "refresh finds regular cameras, Minis and doorbells")
    networks = [s for s in blink.sync.values() if type(s).__name__ == "BlinkSyncModule"]
    check(networks and all(s.available for s in networks), "every sync module is available")
    check(all(s.arm is not None for s in networks), "every network reports its armed state")
    usb = [s for s in networks if s.local_storage]
    check(usb, "a sync module has an active USB stick")
    check(
        all(s.local_storage_manifest_ready and len(s._local_storage["manifest"]) for s in usb),
        "the USB manifest is built after a few polls and lists clips",
    )

    # Arm and disarm a network.
    sync = networks[0]
    before = bool(sync.arm)
    await sync.async_arm(not before)
    await wait_for(f"network {sync.name} {'disarmed' if before else 'armed'}", lambda: bool(sync.arm) != before, blink)
    await sync.async_arm(before)
    await wait_for(f"network {sync.name} back to {'armed' if before else 'disarmed'}", lambda: bool(sync.arm) == before, blink)

    # Motion detection on each device family: a regular camera and a doorbell follow their own
    # flag; a Mini on a sync module shows the network's state, so its flag is read from homescreen.
    for family in ("default", "mini", "doorbell"):
        camera = families[family][0]

        def enabled(camera=camera):
            for key in ("cameras", "owls", "doorbells"):
                for device in blink.homescreen.get(key, []):
                    if str(device["id"]) == str(camera.camera_id):
                        return bool(device["enabled"])
            return None

        before = enabled()
        await camera.async_arm(not before)
        await wait_for(f"motion detection of {family} camera {camera.name} switched", lambda: enabled() == (not before), blink)
        await camera.async_arm(before)
        await wait_for(f"motion detection of {family} camera {camera.name} restored", lambda: enabled() == before, blink)

    # Snapshot: a new thumbnail URL and a new picture, for each family.
    for family in ("default", "mini", "doorbell"):
        camera = families[family][0]
        await blink.refresh(force=True)
        old_url, old_image = camera.thumbnail, camera.image_from_cache
        check(old_image and old_image[:2] == b"\xff\xd8", f"{family} camera {camera.name} has a JPEG thumbnail")
        await camera.snap_picture()
        await wait_for(f"snapshot of {camera.name} gives a new thumbnail URL", lambda: camera.thumbnail != old_url, blink)
        check(camera.image_from_cache and camera.image_from_cache != old_image, f"snapshot of {camera.name} gives a new picture")

    # Clip: one more event in the media list.
    camera = families["default"][0]
    count = await video_count(blink)
    await camera.record()
    for _ in range(20):
        if await video_count(blink) > count:
            break
        await asyncio.sleep(0.3)
    check(await video_count(blink) > count, f"recording a clip on {camera.name} adds an event")

    # Media list since a date with a UTC offset ("+0000" sent raw), then download.
    videos = await blink.get_videos_metadata(since="1970/01/02 00:00", stop=3)
    check(videos and all("media" in v for v in videos), f"media list has {len(videos)} events")
    recent = await blink.get_videos_metadata(since="2000/01/01 00:00", stop=2)
    check(recent, "media list since a date answers events")
    target = os.path.join(workdir, "clips")
    os.makedirs(target, exist_ok=True)
    await blink.download_videos(target, since="1970/01/02 00:00", stop=2, delay=0)
    files = glob.glob(os.path.join(target, "*.mp4"))
    check(files, f"download_videos saved {len(files)} clips")
    for path in files:
        with open(path, "rb") as clip:
            check(clip.read(12)[4:8] == b"ftyp", f"{os.path.basename(path)} is an MP4")
            break

    # The camera's own clip, as blinkpy downloads it after a motion refresh.
    response = await camera.get_video_clip(url=f"{blink.urls.base_url}{videos[0]['media']}")
    check(response is not None and response.status == 200, "a clip downloads through the camera")

    # A restart from the saved session renews the token with the refresh grant (client "ios",
    # the same hardware_id), with no second login. blinkpy's in-session refresh sends
    # client_id "android" instead, which Blink refuses since July 2026, and so does the simulator.
    saved = dict(blink.auth.login_attributes)
    again = Blink(session=session, refresh_rate=1)
    again.auth = Auth(saved, no_prompt=True, session=session)
    check(await again.start(), "a restart from the saved session needs no login")
    check(again.auth.token != saved["token"], "the restart renewed the access token")
    check(set(again.cameras) == set(blink.cameras), "the restarted session sees the same cameras")

    await session.close()
    print("blinkpy ran fully against the simulator")


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:6]))
