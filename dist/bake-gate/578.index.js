export const id = 578;
export const ids = [578];
export const modules = {

/***/ 8578:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   FunctionTimeoutError: () => (/* binding */ FunctionTimeoutError),
/* harmony export */   readFunctionTimeouts: () => (/* binding */ readFunctionTimeouts)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_lambda__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1696);
/* harmony import */ var _core_src_bake_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7780);
/* harmony import */ var _limiter_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5865);
// The function timeouts a bake must wait out: Lambda sends an invocation's metrics when it ends
// and stamps them with its start (monitoring-metrics.html), so data for the last "timeout" of a
// window is not there when the window ends. One GetFunctionConfiguration per function and region,
// of the candidate version (its own Timeout), paced by the Lambda limiter discipline.



function errorText(error) {
    const e = error;
    const name = e?.name ?? 'Error';
    return { name, text: `${name}: ${e?.message ?? String(error)}`, status: e?.$metadata?.httpStatusCode };
}
/** Thrown when a function of the deployment does not exist, or its configuration cannot be read for another reason than access. */
class FunctionTimeoutError extends Error {
    constructor(message) {
        super(message);
        this.name = 'FunctionTimeoutError';
    }
}
/**
 * Reads the Timeout of every target (each function and region once). Access denied is reported
 * per target and counted as Lambda's maximum timeout (the bake waits longer, never less); a
 * function or version that does not exist, or any other failure, throws: the bake fails closed.
 */
async function readFunctionTimeouts(clients, targets, limiter = new _limiter_js__WEBPACK_IMPORTED_MODULE_1__/* .RegionLimiter */ .lX()) {
    const unique = new Map();
    for (const t of targets)
        unique.set(`${t.region}\u0000${t.function}\u0000${t.version ?? ''}`, t);
    const timeouts = await Promise.all([...unique.values()].map(async (target) => {
        try {
            const config = await limiter.run(target.region, () => clients.lambda(target.region).send(new _aws_sdk_client_lambda__WEBPACK_IMPORTED_MODULE_2__/* .GetFunctionConfigurationCommand */ .qA6({ FunctionName: target.function, ...(target.version ? { Qualifier: target.version } : {}) })));
            if (typeof config.Timeout !== 'number' || !(config.Timeout > 0)) {
                return { ...target, timeoutMs: null, problem: `GetFunctionConfiguration gave no Timeout` };
            }
            return { ...target, timeoutMs: config.Timeout * 1000, problem: null };
        }
        catch (error) {
            const { name, text, status } = errorText(error);
            const what = `${target.function}${target.version ? `:${target.version}` : ''} in ${target.region}`;
            if (/AccessDenied|NotAuthorized|Unauthorized/i.test(name) || status === 403) {
                return { ...target, timeoutMs: null, problem: `${text} (the role needs lambda:GetFunctionConfiguration on ${what})` };
            }
            if (name === 'ResourceNotFoundException' || status === 404) {
                throw new FunctionTimeoutError(`Lambda GetFunctionConfiguration: ${what} does not exist (${text}); the deployment names a function or version that is not there`);
            }
            throw new FunctionTimeoutError(`Lambda GetFunctionConfiguration of ${what} failed: ${text}`);
        }
    }));
    const maxMs = Math.max(0, ...timeouts.map((t) => t.timeoutMs ?? _core_src_bake_js__WEBPACK_IMPORTED_MODULE_0__/* .MAX_FUNCTION_TIMEOUT_MS */ .Rn));
    return { maxMs, timeouts };
}


/***/ }),

/***/ 5865:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   lX: () => (/* binding */ RegionLimiter),
/* harmony export */   uk: () => (/* binding */ realSleep)
/* harmony export */ });
/* unused harmony export MAX_CALLS_PER_SECOND */
// Per-region pacing of Lambda control-plane calls.
//
// Lambda shares about 15 control-plane requests per second per region between everything in
// the account (REFERENCE.md); safe-deploy keeps itself under 10 so the team's other tools
// still get through. Each region has its own budget, so regions run fully in parallel and
// only the functions inside one region queue behind each other.
//
// A call counts from the moment it starts until one window after it has answered. A request
// reaches AWS somewhere between those two moments, however long signing, a busy event loop or
// the network held it, so no window of that length ever sees more than `ratePerSecond` of them
// arrive: of any calls arriving within one window, the last to start found all the others still
// counted. (Counting only from the start would let a delayed batch bunch up with the next one.)
const MAX_CALLS_PER_SECOND = 9;
const realSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
class RegionLimiter {
    regions = new Map();
    ratePerSecond;
    concurrency;
    windowMs;
    now;
    sleep;
    constructor(options = {}) {
        const rate = options.ratePerSecond ?? 8;
        if (!(rate > 0 && rate <= MAX_CALLS_PER_SECOND)) {
            throw new Error(`ratePerSecond must be between 1 and ${MAX_CALLS_PER_SECOND} (Lambda shares ~15 control-plane calls/s per region), got ${rate}`);
        }
        this.ratePerSecond = rate;
        this.concurrency = Math.max(1, options.concurrency ?? 8);
        this.windowMs = Math.max(1000, options.windowMs ?? 1200);
        this.now = options.now ?? Date.now;
        this.sleep = options.sleep ?? realSleep;
    }
    slot(region) {
        let slot = this.regions.get(region);
        if (!slot) {
            slot = { counted: [], active: 0, waiting: [], answered: [] };
            this.regions.set(region, slot);
        }
        return slot;
    }
    /** Runs one control-plane call in `region` within the region's concurrency and rate. */
    async run(region, call) {
        const slot = this.slot(region);
        if (slot.active >= this.concurrency) {
            await new Promise((resolve) => slot.waiting.push(resolve));
        }
        else {
            slot.active += 1;
        }
        let entry = null;
        try {
            for (;;) {
                const now = this.now();
                for (let i = slot.counted.length - 1; i >= 0; i -= 1) {
                    const ended = slot.counted[i].endedAt;
                    if (ended !== null && ended <= now - this.windowMs)
                        slot.counted.splice(i, 1);
                }
                if (slot.counted.length < this.ratePerSecond) {
                    entry = { endedAt: null };
                    slot.counted.push(entry);
                    break;
                }
                const ends = slot.counted.map((c) => c.endedAt).filter((t) => t !== null);
                if (ends.length > 0)
                    await this.sleep(Math.max(1, Math.min(...ends) + this.windowMs - now));
                else
                    await new Promise((resolve) => slot.answered.push(resolve)); // all in flight: wait for one to answer
            }
            return await call();
        }
        finally {
            if (entry)
                entry.endedAt = this.now();
            for (const wake of slot.answered.splice(0))
                wake();
            const next = slot.waiting.shift();
            if (next)
                next(); // hand the slot over without releasing it
            else
                slot.active -= 1;
        }
    }
}


/***/ })

};
