import { createApp } from 'vue'
import 'vant/lib/index.css'
import './styles.css'
import App from './App.vue'
import { router } from './router'
import { config } from './config'
import { finishLogin, startLogin } from './auth'
import { setUnauthorizedHandler } from './api/client'
import { applyElderMode } from './elder'

async function boot(): Promise<void> {
  applyElderMode()
  if (config.sandbox) {
    // Outside WeChat there is no WeixinJSBridge: the sandbox plays WeChat's cashier (sandbox builds only).
    const script = document.createElement('script')
    script.src = `${config.apiBase}/sandbox/wechat-jsapi/jsbridge.js`
    document.head.appendChild(script)
  }
  setUnauthorizedHandler(() => { void startLogin() })
  try {
    if (!(await finishLogin())) {
      await startLogin()
      return
    }
  } catch (error) {
    document.getElementById('app')!.textContent = (error as Error).message
    return
  }
  createApp(App).use(router).mount('#app')
}

void boot()
