"""Drives the real blinkpy (from PyPI) against `blinktui sim`.

blinkpy talks to https://api.oauth.blink.com and https://rest-{tier}.immedia-semi.com; a
session that rewrites those hosts to the simulator's loopback address points it there without
touching blinkpy itself. Every step asserts what blinkpy then reports, so a gap in the
simulator fails this script with the step that found it.

Usage: drive.py SIM_URL EMAIL PASSWORD CODE WORKDIR [strict|lenient]

`strict` (the default) expects the simulator as Blink is: besides blinkpy's own flow, it finds
the three rules blinkpy 0.25.9 breaks enforced. `lenient` expects `blinktui sim --lenient` and
checks that blinkpy gets through them: the in-session refresh, live view, and a USB clip listed
under an earlier manifest.
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
from blinkpy.helpers.constants import LOGIN_ENDPOINT
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


async def eventually(what, probe, deadline=10.0):
    """Waits until `probe()` holds, for at most `deadline` seconds."""
    loop = asyncio.get_running_loop()
    end = loop.time() + deadline
    while not probe():
        if loop.time() > end:
            raise SystemExit(f"FAILED: {what}")
        await asyncio.sleep(0.05)


async def live_view(camera, enough=16 * 1024):
    """blinkpy's live view as Home Assistant runs it: a local TCP server fed from the relay.
    Returns the MPEG-TS bytes a viewer got (at most about `enough`) and the command id."""
    stream = await camera.init_livestream()
    await stream.start()
    host, port = stream.socket.getsockname()[:2]
    reader, writer = await asyncio.open_connection(host, port)
    await eventually("the viewer joined blinkpy's stream", lambda: stream.clients)
    feed = asyncio.create_task(stream.feed())
    data = b""
    relay_gone = lambda: stream.target_writer is not None and stream.target_writer.is_closing()
    while len(data) < enough and not relay_gone():
        try:
            chunk = await asyncio.wait_for(reader.read(65536), timeout=0.2)
        except asyncio.TimeoutError:
            continue
        if not chunk:
            break
        data += chunk
    stream.stop()
    data += await reader.read()  # what was already forwarded, up to the end of the stream
    writer.close()
    feed.cancel()
    try:
        await feed
    except asyncio.CancelledError:
        pass
    return data, stream.command_id


async def stale_usb_item(blink, sync):
    """A clip blinkpy listed under a manifest that has since been rebuilt."""
    await blink.refresh(force=True)
    current = sync._local_storage["last_manifest_id"]
    stale = [item for item in sync._local_storage["manifest"] if item._manifest_id != current]
    check(stale, f"blinkpy keeps {len(stale)} USB clips under an earlier manifest than {current}")
    return stale[0]


async def login(sim_url, email, password, code):
    session = SimulatorSession(sim_url)
    blink = Blink(session=session, refresh_rate=1, motion_interval=60)
    blink.auth = Auth({"username": email, "password": password}, no_prompt=True, session=session)
    try:
        await blink.start()
        raise SystemExit("FAILED: the simulator was started with --2fa but asked for no code")
    except BlinkTwoFARequiredError:
        print("ok: login asks for the second factor", flush=True)
    check(await blink.send_2fa_code(code), "2FA code accepted and setup finished")
    check(blink.available, "blinkpy is available after login")
    check(blink.auth.token and blink.auth.refresh_token, "tokens received")
    return session, blink


async def other_endpoints(blink, email, password, camera, mini):
    """What blinkpy (and other clients) call beyond blinkpy's refresh, on an online regular
    camera and a Mini."""
    base = blink.urls.base_url
    sync = [s for s in blink.sync.values() if type(s).__name__ == "BlinkSyncModule"][0]
    network = sync.network_id
    details = await api.request_network_status(blink, network)
    check(details and str(details["network"]["id"]) == str(network), f"GET /network/{network} describes it")
    retired = await api.request_sync_events(blink, network)
    check(
        retired == {"message": "An app update is required"},
        f"the retired event list says an app update is required: {retired}",
    )
    response = await api.request_login(blink.auth, LOGIN_ENDPOINT, {"username": email, "password": password})
    body = await response.json()
    check(
        response.status == 401 and body.get("error") == "unsupported_grant_type",
        f"the retired password grant is refused as unsupported: {response.status} {body}",
    )
    status = await api.http_get(blink, f"{base}/network/{camera.network_id}/camera/{camera.camera_id}")
    check(
        status and status["camera_status"]["camera_id"] == int(camera.camera_id),
        f"camera status of {camera.name}: Wi-Fi {status['camera_status']['wifi_strength']} dBm",
    )
    command = await api.http_post(blink, f"{base}/network/{camera.network_id}/camera/{camera.camera_id}/status")
    check(await api.wait_for_command(blink, command), f"a status command for {camera.name} completes")
    regions = await api.http_get(
        blink,
        f"{base}/api/v1/accounts/{blink.account_id}/networks/{camera.network_id}"
        f"/cameras/{camera.camera_id}/motion_regions",
    )
    check(regions and len(regions["advanced_motion_regions"]) == 25, "motion regions of a camera")
    options = await api.http_get(blink, f"{base}/api/v1/accounts/{blink.account_id}/clients/{blink.client_id}/options")
    check(options and isinstance(options["options"], str), "the client's options")
    sirens = await api.http_get(blink, f"{base}/api/v1/networks/{network}/sirens/")
    check(sirens == {"sirens": []}, "sirens, asked with a trailing slash")
    result = await mini.async_set_floodlight(True)
    check(await api.wait_for_command(blink, result), f"the floodlight of {mini.name} goes on")
    check(mini.floodlight_enabled, "blinkpy records the floodlight as on")


async def main(sim_url, email, password, code, workdir, mode="strict"):
    unthrottle()
    if mode == "lenient":
        await lenient(sim_url, email, password, code, workdir)
        return
    session, blink = await login(sim_url, email, password, code)

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

    await other_endpoints(blink, email, password, camera, families["mini"][0])

    # The rules blinkpy 0.25.9 breaks, kept as Blink keeps them: its in-session refresh (client
    # "android") is refused, the relay sends no video for its zero token, and a USB clip under
    # an earlier manifest is "Media not found".
    token = blink.auth.token
    try:
        await blink.auth.refresh_tokens(refresh=True)
        raise SystemExit("FAILED: the in-session refresh with client android was accepted")
    except Exception as error:  # blinkpy raises TokenRefreshFailed
        check(blink.auth.token == token, f"the in-session refresh is refused ({type(error).__name__})")
    data, _ = await live_view(camera)
    check(data == b"", "the relay sends no video for a zero liveview token")
    item = await stale_usb_item(blink, usb[0])
    check(
        not await item.download_video(blink, os.path.join(workdir, "stale.mp4"), max_retries=1),
        "a USB clip under an earlier manifest id is not found",
    )

    # A restart from the saved session renews the token with the refresh grant (client "ios",
    # the same hardware_id), with no second login.
    saved = dict(blink.auth.login_attributes)
    again = Blink(session=session, refresh_rate=1)
    again.auth = Auth(saved, no_prompt=True, session=session)
    check(await again.start(), "a restart from the saved session needs no login")
    check(again.auth.token != saved["token"], "the restart renewed the access token")
    check(set(again.cameras) == set(blink.cameras), "the restarted session sees the same cameras")

    await session.close()
    print("blinkpy ran fully against the simulator")


async def lenient(sim_url, email, password, code, workdir):
    """Against `sim --lenient`: blinkpy gets through the three rules it breaks."""
    session, blink = await login(sim_url, email, password, code)
    token = blink.auth.token
    check(await blink.auth.refresh_tokens(refresh=True), "the in-session refresh (client android) is taken")
    check(blink.auth.token != token, "it renewed the access token")
    await blink.refresh(force=True)
    check(blink.available, "blinkpy works on with the renewed token")

    camera = next(c for c in blink.cameras.values() if not c.camera_type)
    data, command_id = await live_view(camera)
    check(len(data) >= 16 * 1024, f"live view of {camera.name} gave {len(data)} bytes")
    check(data[0] == 0x47 and data[188] == 0x47, "the bytes are MPEG-TS packets")

    async def ended():
        status = await api.request_command_status(blink, camera.network_id, command_id)
        return status and status.get("complete")

    for _ in range(100):
        if await ended():
            break
        await asyncio.sleep(0.05)
    check(await ended(), "blinkpy ended the liveview command (done/)")

    sync = next(s for s in blink.sync.values() if getattr(s, "local_storage", False))
    item = await stale_usb_item(blink, sync)
    check(await item.prepare_download(blink), "a USB clip is uploaded under its earlier manifest id")
    path = os.path.join(workdir, "usb.mp4")
    check(await item.download_video(blink, path, max_retries=1), "and downloaded under it")
    with open(path, "rb") as clip:
        check(clip.read(12)[4:8] == b"ftyp", "the USB clip is an MP4")
    await session.close()
    print("blinkpy ran fully against the lenient simulator")


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:7]))
