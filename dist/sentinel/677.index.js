export const id = 677;
export const ids = [677];
export const modules = {

/***/ 7677:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AwsClients: () => (/* binding */ AwsClients)
/* harmony export */ });
/* unused harmony export USER_AGENT */
/* harmony import */ var _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4085);
/* harmony import */ var _aws_sdk_client_lambda__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1696);
// One Lambda and one CloudWatch client per region, reused for the life of the process.
// Retries are the SDK's own (standard mode); endpoints follow AWS_ENDPOINT_URL through the SDK.


const USER_AGENT = ['safe-deploy', '1.0.0'];
class AwsClients {
    options;
    lambdas = new Map();
    cloudwatches = new Map();
    others = new Map();
    constructor(options = {}) {
        this.options = options;
    }
    /** The settings every client gets: region, standard retries, user agent with the caller, endpoint, credentials. */
    config(region) {
        return {
            region,
            retryMode: 'standard',
            maxAttempts: this.options.maxAttempts ?? 5,
            customUserAgent: [[USER_AGENT[0], USER_AGENT[1]], ...(this.options.caller ? [['caller', this.options.caller]] : [])],
            ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
            ...(this.options.credentials ? { credentials: { ...this.options.credentials } } : {}),
        };
    }
    lambda(region) {
        let client = this.lambdas.get(region);
        if (!client) {
            client = new _aws_sdk_client_lambda__WEBPACK_IMPORTED_MODULE_0__/* .LambdaClient */ .Nox(this.config(region));
            this.lambdas.set(region, client);
        }
        return client;
    }
    cloudwatch(region) {
        let client = this.cloudwatches.get(region);
        if (!client) {
            client = new _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_1__/* .CloudWatchClient */ .WBn(this.config(region));
            this.cloudwatches.set(region, client);
        }
        return client;
    }
    /**
     * A client of another service (SSM for the deployment store, EventBridge for the guardian), made by
     * `make` with the same settings, kept per service and region and destroyed with the others. The
     * SDK package is imported by the adapter that needs it, so bundles that never call it stay small.
     */
    other(service, region, make) {
        const key = `${service} ${region}`;
        let client = this.others.get(key);
        if (!client) {
            client = make(this.config(region));
            this.others.set(key, client);
        }
        return client;
    }
    destroy() {
        for (const client of [...this.lambdas.values(), ...this.cloudwatches.values(), ...this.others.values()])
            client.destroy();
        this.lambdas.clear();
        this.cloudwatches.clear();
        this.others.clear();
    }
}


/***/ })

};
