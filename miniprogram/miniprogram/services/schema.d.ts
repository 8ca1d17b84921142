// Generated from the backend OpenAPI document by scripts/api-types.mjs: do not edit.
export interface paths {
    "/api/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness with the state of the database and Redis. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["HealthOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ping": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness without touching the database or Redis (load balancers; the bench's ceiling). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PingOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: 200 when the database answers, its migrations are current and Redis (when configured) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ReadyOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics of this process and the database (text format): from CHECKUP_METRICS_ALLOW networks */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": string;
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The OpenAPI 3.1 document of this API. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OpenApiOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/audit-logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search by Asia/Shanghai days, actor, action prefix and outcome. */
        get: {
            parameters: {
                query?: {
                    page?: number;
                    page_size?: number;
                    from?: string | null;
                    to?: string | null;
                    actor?: string | null;
                    action?: string | null;
                    outcome?: ("success" | "failure") | null;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AuditList"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/audit-logs/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** 安全审计导出 (xlsx): accounts with roles and last login, account and role changes of the period, and the */
        get: {
            parameters: {
                query: {
                    from: string;
                    to: string;
                    actor?: string | null;
                    action?: string | null;
                    outcome?: ("success" | "failure") | null;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": string;
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Log in with username and password; repeated failures from one address delay that address (429). */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["LoginIn"];
                };
            };
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["LoginOut"];
                    };
                };
                /** @description 操作太频繁 (RATE_LIMITED, details.retry_after) */
                429: {
                    headers: {
                        /** @description seconds */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End this session. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The staff member of this session (must_change_password: the password must be changed first). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["StaffMeOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/me/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Change one's own password; ends one's other sessions (a wrong current password counts as a failed login). */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["PasswordChangeIn"];
                };
            };
            responses: {
                /** @description OK */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description 操作太频繁 (RATE_LIMITED, details.retry_after) */
                429: {
                    headers: {
                        /** @description seconds */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/bookings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Bookings of a status (default confirmed) in a date range: the report's rows plus confirmed_at/by. */
        get: {
            parameters: {
                query?: {
                    page?: number;
                    page_size?: number;
                    status?: "booked" | "confirmed" | "cancelled" | "no_show";
                    from?: string | null;
                    to?: string | null;
                    q?: string;
                    package?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["BookingsOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/bookings/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirm several bookings at once (already confirmed ones are left; unknown ids refuse all). */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ConfirmManyIn"];
                };
            };
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ConfirmManyOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/bookings/{booking_id}/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirm one booked patient: the row leaves the report. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    booking_id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ConsoleBookingOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/bookings/{booking_id}/unconfirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Undo a confirmation (admin): the booking is booked again and back in the report. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    booking_id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ConsoleBookingOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/bookings/{booking_id}/reschedule": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Move a patient's booking to another day (the patient is told, with the reason). */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    booking_id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["StaffRescheduleIn"];
                };
            };
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ConsoleBookingOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/bookings/{booking_id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel a patient's booking (the place is released, the patient told why). */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    booking_id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["StaffCancelIn"];
                };
            };
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ConsoleBookingOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/bookings/{booking_id}/no-show": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The patient did not come: the booking leaves the report and the charge may be rebooked or refunded. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    booking_id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ConsoleBookingOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/payments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Payments of a date range with their HIS write-back and refund state. */
        get: {
            parameters: {
                query?: {
                    from?: string | null;
                    to?: string | null;
                    status?: ("pending" | "paid" | "closed" | "held") | null;
                    page?: number;
                    page_size?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["StaffPaymentList"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/reconciliation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The day's three-way match (WeChat bill, HIS settlements, our ledger) and its differences. */
        get: {
            parameters: {
                query?: {
                    date?: string | null;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ReconciliationOut"];
                    };
                };
                /** @description 操作太频繁 (RATE_LIMITED, details.retry_after) */
                429: {
                    headers: {
                        /** @description seconds */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Durable jobs by status; failed ones (retries exhausted) need a person. */
        get: {
            parameters: {
                query?: {
                    status?: string;
                    page?: number;
                    page_size?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JobList"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/jobs/{job_id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Re-queue a failed job (retries exhausted) to run now; any other status is a 409. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    job_id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JobOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Open finance alerts (e.g. the merchant balance too low for refunds), raised once per episode. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AlertList"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/refunds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Refunds by status, with why each waits or stopped in Chinese; by default those needing a person. */
        get: {
            parameters: {
                query?: {
                    status?: ("pending" | "his_done" | "wechat_pending" | "succeeded" | "failed" | "abnormal") | null;
                    page?: number;
                    page_size?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RefundTaskList"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/refunds/{refund_no}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Re-run a refund that stopped (failed: refunded on neither side; abnormal: WeChat could not finish). */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    refund_no: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RefundOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/payments/{payment_no}/refund": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Refund in full a payment held because WeChat's amount differed from ours. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    payment_no: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["StaffRefundIn"];
                };
            };
            responses: {
                /** @description OK */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RefundOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/holidays": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Closed days, optionally of a range. */
        get: {
            parameters: {
                query?: {
                    from?: string | null;
                    to?: string | null;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["HolidayList"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        /** Close a day (or rename a closed day); a day with bookings needs ``bookings`` (DAY_HAS_BOOKINGS). */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["HolidayIn"];
                };
            };
            responses: {
                /** @description OK */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["HolidayOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/holidays/range": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Close every day of a range under one name (国庆节 10-01 to 10-07). */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["HolidayRangeIn"];
                };
            };
            responses: {
                /** @description OK */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["HolidayList"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/holidays/{day}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Open a closed day again. */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    day: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/holidays/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Import a year's holiday schedule (休 = closed day, 班 = make-up workday) from the uploaded file's text. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["HolidayImportIn"];
                };
            };
            responses: {
                /** @description OK */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["HolidayImportOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/packages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every package, with its online flag. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ConsolePackageList"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/packages/{code}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Show or hide a package in the mini-program. */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    code: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["PackageOnlineIn"];
                };
            };
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ConsolePackageOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/packages/sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Pull the package list from PEIS now. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PackageSyncOut"];
                    };
                };
                /** @description 操作太频繁 (RATE_LIMITED, details.retry_after) */
                429: {
                    headers: {
                        /** @description seconds */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/patients/{patient_id}/reveal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The full ID number or phone of a patient (admin; reason required; audited without the value). */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    patient_id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["RevealIn"];
                };
            };
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RevealOut"];
                    };
                };
                /** @description 操作太频繁 (RATE_LIMITED, details.retry_after) */
                429: {
                    headers: {
                        /** @description seconds */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/quota": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every day of the range (default today + 30 days) with capacity, booked and remaining. */
        get: {
            parameters: {
                query?: {
                    from?: string | null;
                    to?: string | null;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["QuotaOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/quota/{day}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set a day's capacity and open flag (CAPACITY_BELOW_BOOKED below what is booked); closing a day */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    day: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["DayQuotaIn"];
                };
            };
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DayQuotaOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/quota/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set capacity and open flag of the matching weekdays of a range; days booked above it are skipped. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["QuotaBatchIn"];
                };
            };
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["QuotaBatchOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/reports/booked-patients": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Booked (not confirmed, not cancelled) patients of a date range, by package and status; per-day and */
        get: {
            parameters: {
                query?: {
                    page?: number;
                    page_size?: number;
                    from?: string | null;
                    to?: string | null;
                    q?: string;
                    format?: "json" | "xlsx" | "pdf";
                    package?: string;
                    status?: "booked" | "confirmed";
                    phones?: "masked" | "full";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ReportOut"];
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": string;
                        "application/pdf": string;
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/reports/monthly/months": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Months with rolled-up figures (newest first), plus the current and last month. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ReportMonthList"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/reports/monthly": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** 系统运行报告 of a month (admin, auditor): figures from the daily rollups (past days not yet rolled up */
        get: {
            parameters: {
                query: {
                    month: string;
                    format?: "json" | "xlsx" | "pdf";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["MonthlyReportOut"];
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": string;
                        "application/pdf": string;
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/booking-rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The booking rules, the weekly template and when the next day opens. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RulesOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        /** Replace the booking rules (validated as a whole); checkup staff set the release schedule too. */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["RulesIn"];
                };
            };
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RulesOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/selfcheck": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Run the self-check now: settings, database grants, accounts (unused, password age, admins, failures), */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SelfcheckOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/open-clients": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every data-sharing client (never a secret). */
        get: {
            parameters: {
                query?: {
                    page?: number;
                    page_size?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OpenClientList"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        /** Create a client; its secret is answered this once. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["OpenClientCreateIn"];
                };
            };
            responses: {
                /** @description OK */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OpenClientSecretOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/open-clients/{client_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Change a client's name, remark, scopes, rate limit or enabled flag. */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    client_id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["OpenClientUpdateIn"];
                };
            };
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OpenClientOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        post?: never;
        /** Delete a client: its app key stops working at once. */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    client_id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/open-clients/{client_id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A new secret, answered this once; the old one stops working at once. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    client_id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OpenClientSecretOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/staff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every account (never a password hash). */
        get: {
            parameters: {
                query?: {
                    page?: number;
                    page_size?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["StaffList"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        /** Create an account; the password must meet the policy. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["StaffCreateIn"];
                };
            };
            responses: {
                /** @description OK */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["StaffAccountOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/console/staff/{username}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Change an account; an admin cannot stop themself or drop their own admin role. unlock (or a new */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    username: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["StaffUpdateIn"];
                };
            };
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["StaffAccountOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/his/notify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** HIS says a bill changed: ask HIS about it and end the booking when it is no longer paid. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["HisNotificationIn"];
                };
            };
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["HisNotificationOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/wechat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Log in with a wx.login code. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["WechatLoginIn"];
                };
            };
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TokenOut"];
                    };
                };
                /** @description 操作太频繁 (RATE_LIMITED, details.retry_after) */
                429: {
                    headers: {
                        /** @description seconds */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/wechat-oa/authorize": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Official account pages: the web-authorisation URL to open, with the state to check on return. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OAuthStartOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/wechat-oa": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Official account pages: log in with the code and state WeChat's authorisation came back with. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["OAuthLoginIn"];
                };
            };
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TokenOut"];
                    };
                };
                /** @description 操作太频繁 (RATE_LIMITED, details.retry_after) */
                429: {
                    headers: {
                        /** @description seconds */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/packages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Online packages (个人体检). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PackageList"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/packages/{code}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One online package. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    code: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PackageOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/patients": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My 就诊人. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PatientList"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        /** Add a 就诊人 with one of the identity documents (居民身份证 by default); verified before use. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["PatientIn"];
                };
            };
            responses: {
                /** @description OK */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PatientOut"];
                    };
                };
                /** @description 操作太频繁 (RATE_LIMITED, details.retry_after) */
                429: {
                    headers: {
                        /** @description seconds */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/centre": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The centre's name, phone number and centre-wide 体检须知 (package notes come with each package). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CentreOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/privacy-notice": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The privacy notice (个人信息处理规则) and its version. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PrivacyNoticeOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/consents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My consents, newest first, and the notice version now in force. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ConsentList"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        /** Separate consent to processing ID and health data under this notice version. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ConsentIn"];
                };
            };
            responses: {
                /** @description OK */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ConsentOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/patients/{patient_id}/verification-code": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Text a 6-digit code to the phone HIS holds for the person (else the one typed). */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    patient_id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CodeSentOut"];
                    };
                };
                /** @description 操作太频繁 (RATE_LIMITED, details.retry_after) */
                429: {
                    headers: {
                        /** @description seconds */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/patients/{patient_id}/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Enter the code: the 就诊人 is verified (and a person new to HIS registered there). */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    patient_id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["VerifyIn"];
                };
            };
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PatientOut"];
                    };
                };
                /** @description 操作太频繁 (RATE_LIMITED, details.retry_after) */
                429: {
                    headers: {
                        /** @description seconds */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/patients/{patient_id}/verify-realname": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The account holder's own 就诊人 verified against their WeChat real name (the code WeChat's consent page */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    patient_id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["RealNameVerifyIn"];
                };
            };
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PatientOut"];
                    };
                };
                /** @description 操作太频繁 (RATE_LIMITED, details.retry_after) */
                429: {
                    headers: {
                        /** @description seconds */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/patients/{patient_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a 就诊人. */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    patient_id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/patients/{patient_id}/default": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Make a 就诊人 the default. */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    patient_id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PatientOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Flow 1: PEIS opens the order; the new unpaid charge comes back. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["OrderIn"];
                };
            };
            responses: {
                /** @description OK */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OrderOut"];
                    };
                };
                /** @description 操作太频繁 (RATE_LIMITED, details.retry_after) */
                429: {
                    headers: {
                        /** @description seconds */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/charges": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Charges of one 就诊人: unpaid ones read from HIS, paid ones with their booking. */
        get: {
            parameters: {
                query: {
                    patient_id: number;
                    status?: ("unpaid" | "paid") | null;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ChargeList"];
                    };
                };
                /** @description 操作太频繁 (RATE_LIMITED, details.retry_after) */
                429: {
                    headers: {
                        /** @description seconds */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Bookable days with remaining places. */
        get: {
            parameters: {
                query?: {
                    from?: string | null;
                    to?: string | null;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CalendarOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/bookings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** 预约记录. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["BookingList"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        /** Book a day for a paid charge. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["BookingIn"];
                };
            };
            responses: {
                /** @description OK */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["BookingOut"];
                    };
                };
                /** @description 操作太频繁 (RATE_LIMITED, details.retry_after) */
                429: {
                    headers: {
                        /** @description seconds */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/bookings/{booking_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One booking with its 须知. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    booking_id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["BookingOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/bookings/{booking_id}/reschedule": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Move a booking to another day. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    booking_id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["RescheduleIn"];
                };
            };
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["BookingOut"];
                    };
                };
                /** @description 操作太频繁 (RATE_LIMITED, details.retry_after) */
                429: {
                    headers: {
                        /** @description seconds */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/bookings/{booking_id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel a booking. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    booking_id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["BookingOut"];
                    };
                };
                /** @description 操作太频繁 (RATE_LIMITED, details.retry_after) */
                429: {
                    headers: {
                        /** @description seconds */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/wechatpay/notify/payment": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** TRANSACTION.SUCCESS: apply the payment once and queue the HIS write-back. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WechatAckOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/wechatpay/notify/refund": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** REFUND.SUCCESS / ABNORMAL / CLOSED: record the refund's end. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WechatAckOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/open/v1/ping": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Check the signature: who the call was signed as, its scopes and the server's clock. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OpenPingOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/open/v1/bookings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Bookings by checkup day, with masked personal data only (paged). */
        get: {
            parameters: {
                query: {
                    from: string;
                    to: string;
                    status?: ("booked" | "confirmed" | "cancelled") | null;
                    page?: number;
                    page_size?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OpenBookingList"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/open/v1/booking-counts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Bookings per checkup day and package, and per day, by status. */
        get: {
            parameters: {
                query: {
                    from: string;
                    to: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OpenBookingCountList"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/open/v1/payment-totals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** WeChat payments and succeeded refunds per day, in fen. */
        get: {
            parameters: {
                query: {
                    from: string;
                    to: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OpenPaymentDayList"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/payments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Open a WeChat Pay order for unpaid bills; answers the wx.requestPayment parameters. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["PaymentIn"];
                };
            };
            responses: {
                /** @description OK */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PaymentCreatedOut"];
                    };
                };
                /** @description 操作太频繁 (RATE_LIMITED, details.retry_after) */
                429: {
                    headers: {
                        /** @description seconds */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/payments/{payment_no}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A payment's state, confirmed with WeChat when still pending. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    payment_no: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OK */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PaymentOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/refunds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ask for a refund of a paid charge that has no active booking. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["RefundIn"];
                };
            };
            responses: {
                /** @description OK */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RefundOut"];
                    };
                };
                /** @description 操作太频繁 (RATE_LIMITED, details.retry_after) */
                429: {
                    headers: {
                        /** @description seconds */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
                /** @description 错误 */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorOut"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** ErrorBody */
        ErrorBody: {
            /** Code */
            code: string;
            /** Message */
            message: string;
            /** Details */
            details: {
                [key: string]: unknown;
            };
        };
        /** ErrorOut */
        ErrorOut: {
            error: components["schemas"]["ErrorBody"];
        };
        /** HealthOut */
        HealthOut: {
            /**
             * Status
             * @enum {string}
             */
            status: "ok" | "degraded";
            /**
             * Db
             * @enum {string}
             */
            db: "ok" | "error";
            /**
             * Redis
             * @enum {string}
             */
            redis: "ok" | "error" | "disabled";
            /** Version */
            version: string;
        };
        /** PingOut */
        PingOut: {
            /**
             * Status
             * @constant
             */
            status: "ok";
        };
        /** ReadyOut */
        ReadyOut: {
            /**
             * Status
             * @constant
             */
            status: "ready";
            /** Db */
            db: string;
            /** Migrations */
            migrations: string;
            /** Redis */
            redis: string;
        };
        /** OpenApiOut */
        OpenApiOut: {
            /** Openapi */
            openapi: string;
            /** Info */
            info: {
                [key: string]: unknown;
            };
            /** Paths */
            paths: {
                [key: string]: unknown;
            };
            /** Components */
            components: {
                [key: string]: unknown;
            };
        };
        /** AuditRowOut */
        AuditRowOut: {
            /** Id */
            id: number;
            /** At */
            at: string;
            /** Actor */
            actor: string;
            /** Ip */
            ip: string;
            /** Action */
            action: string;
            /** Target */
            target: string;
            /**
             * Outcome
             * @enum {string}
             */
            outcome: "success" | "failure";
            /** Detail */
            detail: {
                [key: string]: unknown;
            };
        };
        /** AuditList */
        AuditList: {
            /** Items */
            items: components["schemas"]["AuditRowOut"][];
            /** Total */
            total: number;
        };
        /** LoginIn */
        LoginIn: {
            /** Username */
            username: string;
            /** Password */
            password: string;
        };
        /** StaffProfileOut */
        StaffProfileOut: {
            /** Username */
            username: string;
            /** Name */
            name: string;
            /** Roles */
            roles: ("admin" | "staff" | "finance" | "auditor")[];
        };
        /** LoginOut */
        LoginOut: {
            /** Token */
            token: string;
            /** Expires In */
            expires_in: number;
            /** Idle Timeout */
            idle_timeout: number;
            staff: components["schemas"]["StaffProfileOut"];
            /**
             * Must Change Password
             * @default false
             */
            must_change_password: boolean;
        };
        /** StaffMeOut */
        StaffMeOut: {
            /** Username */
            username: string;
            /** Name */
            name: string;
            /** Roles */
            roles: ("admin" | "staff" | "finance" | "auditor")[];
            /**
             * Must Change Password
             * @default false
             */
            must_change_password: boolean;
        };
        /** PasswordChangeIn */
        PasswordChangeIn: {
            /** Current Password */
            current_password: string;
            /** New Password */
            new_password: string;
        };
        /**
         * BookingStatus
         * @enum {string}
         */
        BookingStatus: "booked" | "confirmed" | "cancelled" | "no_show";
        /** ConfirmedRowOut */
        ConfirmedRowOut: {
            /** Booking Id */
            booking_id: number;
            /**
             * Date
             * Format: date
             */
            date: string;
            /** Patient Name */
            patient_name: string;
            /** Sex */
            sex: string;
            /** Age */
            age: string;
            /** Phone Masked */
            phone_masked: string;
            /** Id Number Masked */
            id_number_masked: string;
            /** Package Name */
            package_name: string;
            /** Amount Fen */
            amount_fen: number;
            /** Bill No */
            bill_no: string;
            /** Booked At */
            booked_at: string;
            /**
             * Phone
             * @default null
             */
            phone: string | null;
            status: components["schemas"]["BookingStatus"];
            /**
             * Confirmed At
             * @default null
             */
            confirmed_at: string | null;
            /**
             * Confirmed By
             * @default null
             */
            confirmed_by: string | null;
            /**
             * Cancelled At
             * @default null
             */
            cancelled_at: string | null;
            /**
             * Cancelled By
             * @default null
             */
            cancelled_by: string | null;
            /**
             * Cancel Reason
             * @default null
             */
            cancel_reason: string | null;
        };
        /** DayCountOut */
        DayCountOut: {
            /**
             * Date
             * Format: date
             */
            date: string;
            /** Count */
            count: number;
            /**
             * Amount Fen
             * @default 0
             */
            amount_fen: number;
        };
        /** PackageCountOut */
        PackageCountOut: {
            /**
             * Package Code
             * @default null
             */
            package_code: string | null;
            /** Package Name */
            package_name: string;
            /** Count */
            count: number;
            /** Amount Fen */
            amount_fen: number;
        };
        /** ReportRowOut */
        ReportRowOut: {
            /** Booking Id */
            booking_id: number;
            /**
             * Date
             * Format: date
             */
            date: string;
            /** Patient Name */
            patient_name: string;
            /** Sex */
            sex: string;
            /** Age */
            age: string;
            /** Phone Masked */
            phone_masked: string;
            /** Id Number Masked */
            id_number_masked: string;
            /** Package Name */
            package_name: string;
            /** Amount Fen */
            amount_fen: number;
            /** Bill No */
            bill_no: string;
            /** Booked At */
            booked_at: string;
            /**
             * Phone
             * @default null
             */
            phone: string | null;
        };
        /**
         * BookingsOut
         * @description Bookings of a status: with status=booked the report's rows, otherwise with their confirmation.
         */
        BookingsOut: {
            /** Items */
            items: (components["schemas"]["ConfirmedRowOut"] | components["schemas"]["ReportRowOut"])[];
            /** Total */
            total: number;
            /** Per Day */
            per_day: components["schemas"]["DayCountOut"][];
            /** Per Package */
            per_package: components["schemas"]["PackageCountOut"][];
            /** Amount Fen */
            amount_fen: number;
            /**
             * From
             * Format: date
             */
            from: string;
            /**
             * To
             * Format: date
             */
            to: string;
        };
        /** ConfirmManyIn */
        ConfirmManyIn: {
            /** Ids */
            ids: number[];
        };
        /** ConfirmManyOut */
        ConfirmManyOut: {
            /** Confirmed */
            confirmed: number;
            /** Already Confirmed */
            already_confirmed: number[];
        };
        /** ConsoleBookingOut */
        ConsoleBookingOut: {
            /** Id */
            id: number;
            /** Bill No */
            bill_no: string;
            /** Patient Id */
            patient_id: number;
            /** Patient Name */
            patient_name: string;
            /**
             * Date
             * Format: date
             */
            date: string;
            status: components["schemas"]["BookingStatus"];
            /**
             * Confirmed At
             * @default null
             */
            confirmed_at: string | null;
            /**
             * Confirmed By
             * @default null
             */
            confirmed_by: string | null;
            /**
             * Cancelled By
             * @default null
             */
            cancelled_by: string | null;
            /**
             * Cancel Reason
             * @default
             */
            cancel_reason: string;
        };
        /** StaffRescheduleIn */
        StaffRescheduleIn: {
            /**
             * Date
             * Format: date
             */
            date: string;
            /**
             * Reason
             * @default
             */
            reason: string;
        };
        /** StaffCancelIn */
        StaffCancelIn: {
            /** Reason */
            reason: string;
        };
        /**
         * HisStatus
         * @description The HIS write-back (缴费确认) of a paid payment.
         * @enum {string}
         */
        HisStatus: "none" | "pending" | "settled" | "failed";
        /**
         * PaymentStatus
         * @description The WeChat side of a payment.
         * @enum {string}
         */
        PaymentStatus: "pending" | "paid" | "closed" | "held";
        /** PaymentsSummaryOut */
        PaymentsSummaryOut: {
            /** Count */
            count: number;
            /** Amount Fen */
            amount_fen: number;
            /** Gross Fen */
            gross_fen: number;
            /** Refunded Fen */
            refunded_fen: number;
        };
        /**
         * RefundStatus
         * @enum {string}
         */
        RefundStatus: "pending" | "his_done" | "wechat_pending" | "succeeded" | "failed" | "abnormal";
        /** StaffPaymentOut */
        StaffPaymentOut: {
            /** Payment No */
            payment_no: string;
            /** Patient Name */
            patient_name: string;
            /** Bill Nos */
            bill_nos: string[];
            /** Amount Fen */
            amount_fen: number;
            status: components["schemas"]["PaymentStatus"];
            /** Transaction Id */
            transaction_id: string | null;
            /** Created At */
            created_at: string;
            /** Paid At */
            paid_at: string | null;
            writeback_status: components["schemas"]["HisStatus"];
            /** Writeback Text */
            writeback_text: string;
            /** His Settle No */
            his_settle_no: string | null;
            /** His Error */
            his_error: string;
            /** Held Reason */
            held_reason: string;
            refund_status: components["schemas"]["RefundStatus"] | null;
            /** Refund Status Text */
            refund_status_text: string | null;
            /** Refund No */
            refund_no: string | null;
            /** Refunded Fen */
            refunded_fen: number;
            /** State */
            state: ("pending" | "paying" | "paid" | "refunding" | "refunded" | "closed") | "held";
            /** Status Text */
            status_text: string;
        };
        /** StaffPaymentList */
        StaffPaymentList: {
            /** Items */
            items: components["schemas"]["StaffPaymentOut"][];
            /** Total */
            total: number;
            summary: components["schemas"]["PaymentsSummaryOut"];
        };
        /** DifferenceOut */
        DifferenceOut: {
            /** Kind */
            kind: string;
            /** Kind Text */
            kind_text: string;
            /** Cause */
            cause: string;
            /** Action */
            action: string;
            /**
             * Payment No
             * @default null
             */
            payment_no: string | null;
            /**
             * Refund No
             * @default null
             */
            refund_no: string | null;
            /**
             * Transaction Id
             * @default null
             */
            transaction_id: string | null;
            /**
             * Amount Fen
             * @default null
             */
            amount_fen: number | null;
            /**
             * Amounts
             * @default null
             */
            amounts: {
                [key: string]: number | null;
            } | null;
            /**
             * Line No
             * @default null
             */
            line_no: number | null;
        };
        /** ReconciliationSourcesOut */
        ReconciliationSourcesOut: {
            /** Wechat Rows */
            wechat_rows: number;
            /** His Rows */
            his_rows: number;
            /** Ours */
            ours: number;
            /** Refunds */
            refunds: number;
            /**
             * Foreign Rows
             * @default 0
             */
            foreign_rows: number;
            /**
             * Bad Rows
             * @default 0
             */
            bad_rows: number;
            /**
             * Converged
             * @default 0
             */
            converged: number;
        };
        /** ReconciliationOut */
        ReconciliationOut: {
            /**
             * Date
             * Format: date
             */
            date: string;
            /** Matched */
            matched: number;
            /** Differences */
            differences: components["schemas"]["DifferenceOut"][];
            /** Summary */
            summary: string;
            sources: components["schemas"]["ReconciliationSourcesOut"];
            /** Created At */
            created_at: string;
        };
        /** JobOut */
        JobOut: {
            /** Id */
            id: number;
            /** Kind */
            kind: string;
            /** Payload */
            payload: {
                [key: string]: unknown;
            };
            status: components["schemas"]["JobStatus"];
            /** Attempts */
            attempts: number;
            /** Max Attempts */
            max_attempts: number;
            /** Last Error */
            last_error: string;
            /** Run After */
            run_after: string;
            /** Created At */
            created_at: string;
            /** Updated At */
            updated_at: string;
        };
        /**
         * JobStatus
         * @enum {string}
         */
        JobStatus: "pending" | "running" | "done" | "failed";
        /** JobList */
        JobList: {
            /** Items */
            items: components["schemas"]["JobOut"][];
            /** Total */
            total: number;
        };
        /** AlertOut */
        AlertOut: {
            /** Kind */
            kind: string;
            /** Text */
            text: string;
            /** Times */
            times: number;
            /** Refund No */
            refund_no: string;
            /** First At */
            first_at: string;
            /** Last At */
            last_at: string;
        };
        /** AlertList */
        AlertList: {
            /** Items */
            items: components["schemas"]["AlertOut"][];
        };
        /** RefundTaskOut */
        RefundTaskOut: {
            /** Refund No */
            refund_no: string;
            /** Payment No */
            payment_no: string;
            /** Bill Key */
            bill_key: string;
            /** Amount Fen */
            amount_fen: number;
            status: components["schemas"]["RefundStatus"];
            /** Status Text */
            status_text: string;
            /**
             * Source
             * @enum {string}
             */
            source: "patient" | "his_failed" | "staff";
            /** Reason */
            reason: string;
            /** Reason Text */
            reason_text: string;
            /** Wechat Refund No */
            wechat_refund_no: string;
            /** Updated At */
            updated_at: string;
        };
        /** RefundTaskList */
        RefundTaskList: {
            /** Items */
            items: components["schemas"]["RefundTaskOut"][];
            /** Total */
            total: number;
        };
        /** RefundOut */
        RefundOut: {
            /** Refund No */
            refund_no: string;
            status: components["schemas"]["RefundStatus"];
            /** Status Text */
            status_text: string;
            /** Amount Fen */
            amount_fen: number;
            /** Reason Text */
            reason_text: string | null;
        };
        /** StaffRefundIn */
        StaffRefundIn: {
            /**
             * Reason
             * @default null
             */
            reason: string | null;
        };
        /** HolidayOut */
        HolidayOut: {
            /**
             * Date
             * Format: date
             */
            date: string;
            /** Name */
            name: string;
            /** @default null */
            bookings: components["schemas"]["SettledBookingsOut"] | null;
        };
        /**
         * SettledBookingsOut
         * @description What became of the active bookings of days being closed (services.quota_admin.settle_bookings).
         */
        SettledBookingsOut: {
            /**
             * Moved
             * @default null
             */
            moved: number | null;
            /**
             * Move To
             * @default null
             */
            move_to: string | null;
            /**
             * Cancelled
             * @default null
             */
            cancelled: number | null;
            /**
             * Reason
             * @default null
             */
            reason: string | null;
            /** Booking Ids */
            booking_ids: number[];
        };
        /** HolidayList */
        HolidayList: {
            /** Items */
            items: components["schemas"]["HolidayOut"][];
            /** Total */
            total: number;
            /** @default null */
            bookings: components["schemas"]["SettledBookingsOut"] | null;
        };
        /**
         * BookingsActionIn
         * @description What to do with the active bookings of days being closed: move them to a day, or cancel them.
         */
        BookingsActionIn: {
            /**
             * Move To
             * @default null
             */
            move_to: string | null;
            /**
             * Cancel
             * @default false
             */
            cancel: boolean;
            /**
             * Reason
             * @default
             */
            reason: string;
        };
        /** HolidayIn */
        HolidayIn: {
            /**
             * Date
             * Format: date
             */
            date: string;
            /**
             * Name
             * @default
             */
            name: string;
            /** @default null */
            bookings: components["schemas"]["BookingsActionIn"] | null;
        };
        /** HolidayRangeIn */
        HolidayRangeIn: {
            /**
             * From
             * Format: date
             */
            from: string;
            /**
             * To
             * Format: date
             */
            to: string;
            /**
             * Name
             * @default
             */
            name: string;
            /** @default null */
            bookings: components["schemas"]["BookingsActionIn"] | null;
        };
        /**
         * HolidayImportIn
         * @description A year's holiday schedule file as text (the console reads the uploaded file).
         */
        HolidayImportIn: {
            /** Year */
            year: number;
            /** Content */
            content: string;
            /**
             * Workday Capacity
             * @default null
             */
            workday_capacity: number | null;
            /** @default null */
            bookings: components["schemas"]["BookingsActionIn"] | null;
        };
        /** HolidayWorkdayOut */
        HolidayWorkdayOut: {
            /**
             * Date
             * Format: date
             */
            date: string;
            /** Capacity */
            capacity: number;
        };
        /**
         * HolidayImportOut
         * @description What a year's schedule set: closed days (休) and make-up workdays (班) opened with a capacity.
         */
        HolidayImportOut: {
            /** Year */
            year: number;
            /** Holidays */
            holidays: components["schemas"]["HolidayOut"][];
            /** Workdays */
            workdays: components["schemas"]["HolidayWorkdayOut"][];
            /** @default null */
            bookings: components["schemas"]["SettledBookingsOut"] | null;
        };
        /** ConsolePackageOut */
        ConsolePackageOut: {
            /** Code */
            code: string;
            /** Name */
            name: string;
            /** Type */
            type: string;
            /** Price Fen */
            price_fen: number;
            /**
             * Sex
             * @enum {string}
             */
            sex: "any" | "male" | "female";
            /** Summary */
            summary: string;
            /** Items */
            items: components["schemas"]["PackageItemOut"][];
            /** Notes */
            notes: string;
            /** Online */
            online: boolean;
            /** In Peis */
            in_peis: boolean;
            /**
             * Synced At
             * @default null
             */
            synced_at: string | null;
        };
        /** PackageItemOut */
        PackageItemOut: {
            /** Code */
            code: string;
            /** Name */
            name: string;
            /** Kind */
            kind: string;
            /**
             * Note
             * @default
             */
            note: string;
        };
        /** ConsolePackageList */
        ConsolePackageList: {
            /** Items */
            items: components["schemas"]["ConsolePackageOut"][];
            /** Total */
            total: number;
        };
        /** PackageOnlineIn */
        PackageOnlineIn: {
            /** Online */
            online: boolean;
        };
        /** PackageSyncOut */
        PackageSyncOut: {
            /** Synced */
            synced: number;
            /** Created */
            created: number;
            /** Updated */
            updated: number;
            /** Removed */
            removed: number;
        };
        /** RevealIn */
        RevealIn: {
            /**
             * Field
             * @enum {string}
             */
            field: "id_number" | "phone";
            /** Reason */
            reason: string;
        };
        /** RevealOut */
        RevealOut: {
            /**
             * Field
             * @enum {string}
             */
            field: "id_number" | "phone";
            /** Value */
            value: string;
        };
        /** DayQuotaOut */
        DayQuotaOut: {
            /**
             * Date
             * Format: date
             */
            date: string;
            /** Capacity */
            capacity: number;
            /** Booked */
            booked: number;
            /** Remaining */
            remaining: number;
            /** Open */
            open: boolean;
            /**
             * Set
             * @default true
             */
            set: boolean;
            /** @default null */
            bookings: components["schemas"]["SettledBookingsOut"] | null;
        };
        /** QuotaOut */
        QuotaOut: {
            /** Days */
            days: components["schemas"]["DayQuotaOut"][];
        };
        /** DayQuotaIn */
        DayQuotaIn: {
            /** Capacity */
            capacity: number;
            /** Open */
            open: boolean;
            /** @default null */
            bookings: components["schemas"]["BookingsActionIn"] | null;
        };
        /** QuotaBatchIn */
        QuotaBatchIn: {
            /**
             * From
             * Format: date
             */
            from: string;
            /**
             * To
             * Format: date
             */
            to: string;
            /** Weekdays */
            weekdays: (1 | 2 | 3 | 4 | 5 | 6 | 7)[];
            /** Capacity */
            capacity: number;
            /** Open */
            open: boolean;
            /**
             * Include Closed
             * @default false
             */
            include_closed: boolean;
        };
        /** SkippedDayOut */
        SkippedDayOut: {
            /**
             * Date
             * Format: date
             */
            date: string;
            /** Booked */
            booked: number;
            /**
             * Reason
             * @enum {string}
             */
            reason: "booked_above" | "closed" | "has_bookings";
        };
        /** QuotaBatchOut */
        QuotaBatchOut: {
            /** Updated */
            updated: number;
            /** Created */
            created: number;
            /** Skipped */
            skipped: components["schemas"]["SkippedDayOut"][];
        };
        /**
         * ReportOut
         * @description One page of the report: status=booked rows, or with status=confirmed the rows with their confirmation.
         */
        ReportOut: {
            /** Items */
            items: (components["schemas"]["ConfirmedRowOut"] | components["schemas"]["ReportRowOut"])[];
            /** Total */
            total: number;
            /** Per Day */
            per_day: components["schemas"]["DayCountOut"][];
            /** Per Package */
            per_package: components["schemas"]["PackageCountOut"][];
            /** Amount Fen */
            amount_fen: number;
            /**
             * From
             * Format: date
             */
            from: string;
            /**
             * To
             * Format: date
             */
            to: string;
        };
        /** ReportMonthOut */
        ReportMonthOut: {
            /** Month */
            month: string;
            /** Days */
            days: number;
        };
        /** ReportMonthList */
        ReportMonthList: {
            /** Items */
            items: components["schemas"]["ReportMonthOut"][];
        };
        /**
         * MonthlyReportOut
         * @description Figures of the month (services/ops_report.py); nested sections are objects of counts.
         */
        MonthlyReportOut: {
            /** Month */
            month: string;
            /** First Day */
            first_day: string;
            /** Last Day */
            last_day: string;
            /** Generated At */
            generated_at: string;
            /** Days Covered */
            days_covered: number;
            /** Availability */
            availability: {
                [key: string]: unknown;
            };
            /** Requests */
            requests: {
                [key: string]: unknown;
            };
            /** Upstream */
            upstream: {
                [key: string]: unknown;
            };
            /** Upstream Ops */
            upstream_ops: {
                [key: string]: unknown;
            };
            /** Bookings */
            bookings: {
                [key: string]: unknown;
            };
            /** Payments */
            payments: {
                [key: string]: unknown;
            };
            /** Refunds */
            refunds: {
                [key: string]: unknown;
            };
            /** Jobs */
            jobs: {
                [key: string]: unknown;
            };
            /** Reconciliation */
            reconciliation: {
                [key: string]: unknown;
            };
            /** Security */
            security: {
                [key: string]: unknown;
            };
            /** Capacity */
            capacity: {
                [key: string]: unknown;
            };
            /** Days */
            days: {
                [key: string]: unknown;
            }[];
            /** Audit Anchor */
            audit_anchor: {
                [key: string]: unknown;
            } | null;
            /** Not Recorded */
            not_recorded: string[];
            /** Recommendations */
            recommendations: string[];
        };
        /** NextOpening */
        NextOpening: {
            /**
             * Date
             * Format: date
             */
            date: string;
            /** At */
            at: string;
        };
        /** RulesOut */
        RulesOut: {
            /** Open Days Ahead */
            open_days_ahead: number;
            /** Release Time */
            release_time: string;
            /** Min Days Ahead */
            min_days_ahead: number;
            /** Change Cutoff Days */
            change_cutoff_days: number;
            /** Closed Weekdays */
            closed_weekdays: number[];
            /**
             * Weekly Capacity
             * @default {}
             */
            weekly_capacity: {
                [key: string]: number;
            };
            /**
             * No Show May Rebook
             * @default true
             */
            no_show_may_rebook: boolean;
            /** @default null */
            next_opening: components["schemas"]["NextOpening"] | null;
        };
        /** RulesIn */
        RulesIn: {
            /** Open Days Ahead */
            open_days_ahead: number;
            /** Release Time */
            release_time: string;
            /** Min Days Ahead */
            min_days_ahead: number;
            /** Change Cutoff Days */
            change_cutoff_days: number;
            /**
             * Closed Weekdays
             * @default null
             */
            closed_weekdays: (1 | 2 | 3 | 4 | 5 | 6 | 7)[] | null;
            /**
             * Weekly Capacity
             * @default null
             */
            weekly_capacity: {
                [key: string]: number;
            } | null;
            /**
             * No Show May Rebook
             * @default null
             */
            no_show_may_rebook: boolean | null;
        };
        /** SelfcheckSectionOut */
        SelfcheckSectionOut: {
            /** Title */
            title: string;
            /** Findings */
            findings: string[];
            /** Notes */
            notes: string[];
        };
        /**
         * SelfcheckOut
         * @description 网络安全自查 (services/selfcheck.py): the same report as `checkup selfcheck`.
         */
        SelfcheckOut: {
            /** Generated At */
            generated_at: string;
            /** Findings */
            findings: number;
            /** Sections */
            sections: components["schemas"]["SelfcheckSectionOut"][];
        };
        /** OpenClientOut */
        OpenClientOut: {
            /** Id */
            id: number;
            /** App Key */
            app_key: string;
            /** Name */
            name: string;
            /** Remark */
            remark: string;
            /** Scopes */
            scopes: ("bookings:read" | "counts:read" | "payments:read")[];
            /** Rate Limit Per Minute */
            rate_limit_per_minute: number;
            /** Enabled */
            enabled: boolean;
            /** Created By */
            created_by: string;
            /**
             * Created At
             * @default null
             */
            created_at: string | null;
            /**
             * Secret Rotated At
             * @default null
             */
            secret_rotated_at: string | null;
            /**
             * Last Used At
             * @default null
             */
            last_used_at: string | null;
        };
        /** OpenClientList */
        OpenClientList: {
            /** Items */
            items: components["schemas"]["OpenClientOut"][];
            /** Total */
            total: number;
        };
        /** OpenClientCreateIn */
        OpenClientCreateIn: {
            /** Name */
            name: string;
            /**
             * Remark
             * @default
             */
            remark: string;
            /** Scopes */
            scopes: ("bookings:read" | "counts:read" | "payments:read")[];
            /**
             * Rate Limit Per Minute
             * @default 60
             */
            rate_limit_per_minute: number;
        };
        /** OpenClientSecretOut */
        OpenClientSecretOut: {
            /** Id */
            id: number;
            /** App Key */
            app_key: string;
            /** Name */
            name: string;
            /** Remark */
            remark: string;
            /** Scopes */
            scopes: ("bookings:read" | "counts:read" | "payments:read")[];
            /** Rate Limit Per Minute */
            rate_limit_per_minute: number;
            /** Enabled */
            enabled: boolean;
            /** Created By */
            created_by: string;
            /**
             * Created At
             * @default null
             */
            created_at: string | null;
            /**
             * Secret Rotated At
             * @default null
             */
            secret_rotated_at: string | null;
            /**
             * Last Used At
             * @default null
             */
            last_used_at: string | null;
            /**
             * Secret
             * @description 签名密钥：只在创建和重置时返回这一次
             */
            secret: string;
        };
        /** OpenClientUpdateIn */
        OpenClientUpdateIn: {
            /**
             * Name
             * @default null
             */
            name: string | null;
            /**
             * Remark
             * @default null
             */
            remark: string | null;
            /**
             * Scopes
             * @default null
             */
            scopes: ("bookings:read" | "counts:read" | "payments:read")[] | null;
            /**
             * Rate Limit Per Minute
             * @default null
             */
            rate_limit_per_minute: number | null;
            /**
             * Enabled
             * @default null
             */
            enabled: boolean | null;
        };
        /** StaffAccountOut */
        StaffAccountOut: {
            /** Username */
            username: string;
            /** Name */
            name: string;
            /** Roles */
            roles: ("admin" | "staff" | "finance" | "auditor")[];
            /** Active */
            active: boolean;
            /**
             * Locked Until
             * @default null
             */
            locked_until: string | null;
            /** Failed Logins */
            failed_logins: number;
            /**
             * Must Change Password
             * @default false
             */
            must_change_password: boolean;
            /**
             * Last Login At
             * @default null
             */
            last_login_at: string | null;
            /**
             * Created At
             * @default null
             */
            created_at: string | null;
        };
        /** StaffList */
        StaffList: {
            /** Items */
            items: components["schemas"]["StaffAccountOut"][];
            /** Total */
            total: number;
        };
        /** StaffCreateIn */
        StaffCreateIn: {
            /** Username */
            username: string;
            /** Name */
            name: string;
            /** Password */
            password: string;
            /** Roles */
            roles: ("admin" | "staff" | "finance" | "auditor")[];
        };
        /** StaffUpdateIn */
        StaffUpdateIn: {
            /**
             * Name
             * @default null
             */
            name: string | null;
            /**
             * Roles
             * @default null
             */
            roles: ("admin" | "staff" | "finance" | "auditor")[] | null;
            /**
             * Active
             * @default null
             */
            active: boolean | null;
            /**
             * Password
             * @default null
             */
            password: string | null;
            /**
             * Unlock
             * @default null
             */
            unlock: boolean | null;
        };
        /** HisNotificationIn */
        HisNotificationIn: {
            /**
             * Event
             * @enum {string}
             */
            event: "bill_refunded" | "bill_cancelled" | "bill_repriced" | "bill_changed";
            /** Bill No */
            bill_no: string;
            /**
             * Occurred At
             * @default null
             */
            occurred_at: string | null;
        };
        /** HisNotificationOut */
        HisNotificationOut: {
            /** Result */
            result: string;
            /** Applied */
            applied: boolean;
        };
        /** WechatLoginIn */
        WechatLoginIn: {
            /** Code */
            code: string;
        };
        /** TokenOut */
        TokenOut: {
            /** Token */
            token: string;
            /** Expires In */
            expires_in: number;
        };
        /** OAuthStartOut */
        OAuthStartOut: {
            /** Authorize Url */
            authorize_url: string;
            /** State */
            state: string;
            /** Appid */
            appid: string;
        };
        /** OAuthLoginIn */
        OAuthLoginIn: {
            /** Code */
            code: string;
            /** State */
            state: string;
        };
        /** PackageOut */
        PackageOut: {
            /** Code */
            code: string;
            /** Name */
            name: string;
            /** Type */
            type: string;
            /** Price Fen */
            price_fen: number;
            /**
             * Sex
             * @enum {string}
             */
            sex: "any" | "male" | "female";
            /** Summary */
            summary: string;
            /** Items */
            items: components["schemas"]["PackageItemOut"][];
            /** Notes */
            notes: string;
        };
        /** PackageList */
        PackageList: {
            /** Items */
            items: components["schemas"]["PackageOut"][];
            /** Total */
            total: number;
        };
        /** PatientOut */
        PatientOut: {
            /** Id */
            id: number;
            /** Name */
            name: string;
            /**
             * Sex
             * @enum {string}
             */
            sex: "male" | "female";
            /**
             * Birth Date
             * Format: date
             */
            birth_date: string;
            /**
             * Doc Type
             * @enum {string}
             */
            doc_type: "id_card" | "residence_permit" | "foreign_permanent_resident" | "hk_macau_permit" | "taiwan_permit" | "passport";
            /** Id Number Masked */
            id_number_masked: string;
            /** Phone Masked */
            phone_masked: string;
            /** Is Default */
            is_default: boolean;
            /** Verified */
            verified: boolean;
            /** @default null */
            verification: components["schemas"]["VerificationOut"] | null;
        };
        /** VerificationOut */
        VerificationOut: {
            /**
             * Channel
             * @constant
             */
            channel: "sms";
            /** Phone Masked */
            phone_masked: string;
        };
        /** PatientList */
        PatientList: {
            /** Items */
            items: components["schemas"]["PatientOut"][];
            /** Total */
            total: number;
        };
        /** PatientIn */
        PatientIn: {
            /** Name */
            name: string;
            /** Id Number */
            id_number: string;
            /** Phone */
            phone: string;
            /**
             * Doc Type
             * @default id_card
             * @enum {string}
             */
            doc_type: "id_card" | "residence_permit" | "foreign_permanent_resident" | "hk_macau_permit" | "taiwan_permit" | "passport";
            /**
             * Sex
             * @default null
             */
            sex: ("male" | "female") | null;
            /**
             * Birth Date
             * @default null
             */
            birth_date: string | null;
        };
        /**
         * CentreOut
         * @description The checkup centre as the patient pages show it (settings CHECKUP_HOSPITAL_NAME, CHECKUP_CENTRE_PHONE,
         *     CHECKUP_CENTRE_NOTICE).
         */
        CentreOut: {
            /** Name */
            name: string;
            /** Phone */
            phone: string;
            /** Notice */
            notice: string;
            /**
             * Realname Verification
             * @default false
             */
            realname_verification: boolean;
        };
        /** PrivacyNoticeOut */
        PrivacyNoticeOut: {
            /** Version */
            version: string;
            /** Text */
            text: string;
        };
        /** ConsentOut */
        ConsentOut: {
            /** Version */
            version: string;
            /** Purposes */
            purposes: string[];
            /** Consented At */
            consented_at: string;
        };
        /** ConsentList */
        ConsentList: {
            /** Items */
            items: components["schemas"]["ConsentOut"][];
            /** Total */
            total: number;
            /** Current Version */
            current_version: string;
        };
        /** ConsentIn */
        ConsentIn: {
            /** Version */
            version: string;
        };
        /** CodeSentOut */
        CodeSentOut: {
            /**
             * Channel
             * @constant
             */
            channel: "sms";
            /** Phone Masked */
            phone_masked: string;
            /** Expires In */
            expires_in: number;
            /** Resend After */
            resend_after: number;
        };
        /** VerifyIn */
        VerifyIn: {
            /** Code */
            code: string;
        };
        /** RealNameVerifyIn */
        RealNameVerifyIn: {
            /** Code */
            code: string;
        };
        /** OrderIn */
        OrderIn: {
            /** Patient Id */
            patient_id: number;
            /** Package Code */
            package_code: string;
        };
        /** ChargeBookingOut */
        ChargeBookingOut: {
            /** Id */
            id: number | null;
            /**
             * Date
             * Format: date
             */
            date: string;
            status: components["schemas"]["BookingStatus"];
            /** Status Text */
            status_text: string;
            /** Mine */
            mine: boolean;
        };
        /** ChargeOut */
        ChargeOut: {
            /** Bill No */
            bill_no: string;
            /** Patient Id */
            patient_id: number;
            /** Item Name */
            item_name: string;
            /** Amount Fen */
            amount_fen: number;
            status: components["schemas"]["ChargeStatus"];
            /** Status Text */
            status_text: string;
            /**
             * Source
             * @enum {string}
             */
            source: "online" | "onsite";
            /**
             * Package Code
             * @default null
             */
            package_code: string | null;
            /**
             * Package Name
             * @default null
             */
            package_name: string | null;
            /** Dept */
            dept: string;
            /** Billed At */
            billed_at: string | null;
            /** Paid At */
            paid_at: string | null;
            /** @default null */
            booking: components["schemas"]["ChargeBookingOut"] | null;
            /** Paid By Other Account */
            paid_by_other_account: boolean;
        };
        /**
         * ChargeStatus
         * @enum {string}
         */
        ChargeStatus: "unpaid" | "paying" | "paid" | "refunding" | "refunded" | "cancelled";
        /** OrderOut */
        OrderOut: {
            charge: components["schemas"]["ChargeOut"];
        };
        /** ChargeList */
        ChargeList: {
            /** Items */
            items: components["schemas"]["ChargeOut"][];
            /** Total */
            total: number;
        };
        /** CalendarDayOut */
        CalendarDayOut: {
            /**
             * Date
             * Format: date
             */
            date: string;
            /** Open */
            open: boolean;
            /** Capacity */
            capacity: number;
            /** Remaining */
            remaining: number;
            /** Bookable */
            bookable: boolean;
            /** Reason */
            reason: string;
            /** Reason Text */
            reason_text: string;
            /**
             * Opens At
             * @default null
             */
            opens_at: string | null;
        };
        /** CalendarOut */
        CalendarOut: {
            /** Days */
            days: components["schemas"]["CalendarDayOut"][];
        };
        /** BookingIn */
        BookingIn: {
            /** Bill No */
            bill_no: string;
            /**
             * Date
             * Format: date
             */
            date: string;
        };
        /** BookingOut */
        BookingOut: {
            /** Id */
            id: number;
            /** Bill No */
            bill_no: string;
            /** Patient Id */
            patient_id: number;
            /**
             * Date
             * Format: date
             */
            date: string;
            status: components["schemas"]["BookingStatus"];
            /** Status Text */
            status_text: string;
            /** Can Change */
            can_change: boolean;
            /**
             * Change Deadline
             * Format: date
             */
            change_deadline: string;
            /** Patient Name */
            patient_name: string;
            /** Package Code */
            package_code: string | null;
            /** Package Name */
            package_name: string;
            /** Item Name */
            item_name: string;
            /** Amount Fen */
            amount_fen: number;
            /** Booked At */
            booked_at: string | null;
            /** Notes */
            notes: string;
        };
        /** BookingList */
        BookingList: {
            /** Items */
            items: components["schemas"]["BookingOut"][];
            /** Total */
            total: number;
        };
        /** RescheduleIn */
        RescheduleIn: {
            /**
             * Date
             * Format: date
             */
            date: string;
        };
        /** WechatAckOut */
        WechatAckOut: {
            /** Code */
            code: string;
            /** Message */
            message: string;
        };
        /** OpenPingOut */
        OpenPingOut: {
            /** App Key */
            app_key: string;
            /** Name */
            name: string;
            /** Scopes */
            scopes: string[];
            /** Server Time */
            server_time: number;
        };
        /** OpenBookingOut */
        OpenBookingOut: {
            /** Booking Id */
            booking_id: number;
            /**
             * Date
             * Format: date
             */
            date: string;
            /** Package Code */
            package_code: string;
            /** Package Name */
            package_name: string;
            /**
             * Status
             * @enum {string}
             */
            status: "booked" | "confirmed" | "cancelled";
            /** Confirmed */
            confirmed: boolean;
            /** Created At */
            created_at: string;
            /** Patient Name Masked */
            patient_name_masked: string;
            /** Sex */
            sex: string;
            /** Age */
            age: string;
            /** Phone Masked */
            phone_masked: string;
            /** Id Number Masked */
            id_number_masked: string;
        };
        /** OpenBookingList */
        OpenBookingList: {
            /** Items */
            items: components["schemas"]["OpenBookingOut"][];
            /** Total */
            total: number;
            /** Page */
            page: number;
            /** Page Size */
            page_size: number;
        };
        /** OpenBookingCountOut */
        OpenBookingCountOut: {
            /**
             * Date
             * Format: date
             */
            date: string;
            /** Package Code */
            package_code: string;
            /** Package Name */
            package_name: string;
            /** Booked */
            booked: number;
            /** Confirmed */
            confirmed: number;
            /** Cancelled */
            cancelled: number;
        };
        /** OpenDayCountOut */
        OpenDayCountOut: {
            /**
             * Date
             * Format: date
             */
            date: string;
            /** Booked */
            booked: number;
            /** Confirmed */
            confirmed: number;
            /** Cancelled */
            cancelled: number;
        };
        /** OpenBookingCountList */
        OpenBookingCountList: {
            /** Items */
            items: components["schemas"]["OpenBookingCountOut"][];
            /** Total */
            total: number;
            /** Days */
            days: components["schemas"]["OpenDayCountOut"][];
        };
        /** OpenPaymentDayOut */
        OpenPaymentDayOut: {
            /**
             * Date
             * Format: date
             */
            date: string;
            /** Paid Fen */
            paid_fen: number;
            /** Payment Count */
            payment_count: number;
            /** Refund Fen */
            refund_fen: number;
            /** Refund Count */
            refund_count: number;
            /** Net Fen */
            net_fen: number;
        };
        /** OpenPaymentTotalsOut */
        OpenPaymentTotalsOut: {
            /** Paid Fen */
            paid_fen: number;
            /** Payment Count */
            payment_count: number;
            /** Refund Fen */
            refund_fen: number;
            /** Refund Count */
            refund_count: number;
            /** Net Fen */
            net_fen: number;
        };
        /** OpenPaymentDayList */
        OpenPaymentDayList: {
            /** Items */
            items: components["schemas"]["OpenPaymentDayOut"][];
            /** Total */
            total: number;
            summary: components["schemas"]["OpenPaymentTotalsOut"];
        };
        /** PaymentIn */
        PaymentIn: {
            /** Patient Id */
            patient_id: number;
            /** Bill Nos */
            bill_nos: string[];
        };
        /** PayParamsOut */
        PayParamsOut: {
            /** Appid */
            appId: string;
            /** Timestamp */
            timeStamp: string;
            /** Noncestr */
            nonceStr: string;
            /** Package */
            package: string;
            /** Signtype */
            signType: string;
            /** Paysign */
            paySign: string;
        };
        /** PaymentCreatedOut */
        PaymentCreatedOut: {
            /** Payment No */
            payment_no: string;
            /**
             * Status
             * @enum {string}
             */
            status: "pending" | "paying" | "paid" | "refunding" | "refunded" | "closed";
            /** Status Text */
            status_text: string;
            /** Amount Fen */
            amount_fen: number;
            /** Bill Nos */
            bill_nos: string[];
            /** Paid At */
            paid_at: string | null;
            /** Expires At */
            expires_at: string | null;
            pay_params: components["schemas"]["PayParamsOut"];
        };
        /** PaymentOut */
        PaymentOut: {
            /** Payment No */
            payment_no: string;
            /**
             * Status
             * @enum {string}
             */
            status: "pending" | "paying" | "paid" | "refunding" | "refunded" | "closed";
            /** Status Text */
            status_text: string;
            /** Amount Fen */
            amount_fen: number;
            /** Bill Nos */
            bill_nos: string[];
            /** Paid At */
            paid_at: string | null;
            /** Expires At */
            expires_at: string | null;
        };
        /** RefundIn */
        RefundIn: {
            /** Bill No */
            bill_no: string;
            /**
             * Reason
             * @default null
             */
            reason: string | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
