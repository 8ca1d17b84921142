import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import { createPinia } from 'pinia'
import { createApp } from 'vue'
import { setupHttp } from '@/api/setup'
import { createAppRouter } from '@/router'
import App from './App.vue'
import { elementLocale } from './locale'
import './styles/main.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
const router = createAppRouter()
setupHttp(router)
app.use(router)
app.use(ElementPlus, { locale: elementLocale })
app.mount('#app')
